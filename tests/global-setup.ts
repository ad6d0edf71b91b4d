/**
 * Jest global setup: one throwaway PostgreSQL cluster for the whole run, unless JIT_TEST_PG_URL
 * already names a server. Test workers inherit the environment set here (JIT_TEST_PG_URL, or
 * JIT_TEST_PG_UNAVAILABLE with the reason tests print when they skip).
 */
import { PG_UNAVAILABLE_ENV, PG_URL_ENV, startThrowawayPostgres, type ThrowawayPostgres } from './helpers/postgres';

export const THROWAWAY_POSTGRES = Symbol.for('jit.tests.throwawayPostgres');

export default async function globalSetup(): Promise<void> {
  if (process.env[PG_URL_ENV]) return;
  const started = await startThrowawayPostgres();
  if ('unavailable' in started) {
    process.env[PG_UNAVAILABLE_ENV] = started.unavailable;
    return;
  }
  process.env[PG_URL_ENV] = started.url;
  (globalThis as Record<symbol, ThrowawayPostgres | undefined>)[THROWAWAY_POSTGRES] = started;
}
