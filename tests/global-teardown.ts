/** Jest global teardown: stops and removes the throwaway PostgreSQL cluster of the global setup. */
import { PG_URL_ENV, type ThrowawayPostgres } from './helpers/postgres';
import { STOP_ON_SIGNAL, STOP_SIGNALS, THROWAWAY_POSTGRES } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const slot = globalThis as Record<symbol, unknown>;
  const stopOnSignal = slot[STOP_ON_SIGNAL] as ((signal: NodeJS.Signals) => void) | undefined;
  if (stopOnSignal) for (const signal of STOP_SIGNALS) process.removeListener(signal, stopOnSignal);
  const cluster = slot[THROWAWAY_POSTGRES] as ThrowawayPostgres | undefined;
  slot[THROWAWAY_POSTGRES] = slot[STOP_ON_SIGNAL] = undefined;
  if (!cluster) return;
  delete process.env[PG_URL_ENV];
  cluster.stop();
}
