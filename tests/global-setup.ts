/**
 * Jest global setup: one throwaway PostgreSQL cluster for the whole run, unless JIT_TEST_PG_URL
 * already names a server. Test workers inherit the environment set here (JIT_TEST_PG_URL, or
 * JIT_TEST_PG_UNAVAILABLE with the reason tests print when they skip).
 */
import { PG_UNAVAILABLE_ENV, PG_URL_ENV, prepareThrowawayPostgres, type ThrowawayPostgres } from './helpers/postgres';

export const THROWAWAY_POSTGRES = Symbol.for('jit.tests.throwawayPostgres');
export const STOP_ON_SIGNAL = Symbol.for('jit.tests.stopPostgresOnSignal');
export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export default async function globalSetup(): Promise<void> {
  // Password hashes at a test cost (the production default, N=2^17, takes ~270 ms a hash); workers
  // and the `jit serve` processes they start inherit it. Tests of the cost itself set their own.
  process.env.JIT_SCRYPT_N ??= '4096';
  if (process.env[PG_URL_ENV]) return;
  const cluster = await prepareThrowawayPostgres();
  if ('unavailable' in cluster) {
    process.env[PG_UNAVAILABLE_ENV] = cluster.unavailable;
    return;
  }

  // A run killed before its teardown (Ctrl-C, `timeout`) still stops its server and removes its
  // folder; then the signal takes its usual course. A run killed harder is reaped by the next setup.
  const stopOnSignal = (signal: NodeJS.Signals) => {
    cluster.stop();
    for (const s of STOP_SIGNALS) process.removeListener(s, stopOnSignal);
    process.kill(process.pid, signal);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, stopOnSignal);
  const slot = globalThis as Record<symbol, unknown>;
  slot[THROWAWAY_POSTGRES] = cluster satisfies ThrowawayPostgres;
  slot[STOP_ON_SIGNAL] = stopOnSignal;

  try {
    process.env[PG_URL_ENV] = await cluster.start();
  } catch (err) {
    cluster.stop();
    process.env[PG_UNAVAILABLE_ENV] = (err as Error).message;
  }
}
