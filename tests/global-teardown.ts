/** Jest global teardown: stops and removes the throwaway PostgreSQL cluster of the global setup. */
import type { ThrowawayPostgres } from './helpers/postgres';
import { PG_URL_ENV } from './helpers/postgres';
import { THROWAWAY_POSTGRES } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const slot = globalThis as Record<symbol, ThrowawayPostgres | undefined>;
  const cluster = slot[THROWAWAY_POSTGRES];
  if (!cluster) return;
  slot[THROWAWAY_POSTGRES] = undefined;
  delete process.env[PG_URL_ENV];
  await cluster.stop();
}
