/**
 * The sync lease: one sync of a corp at a time across every host and process on the database
 * (DECISIONS "Sync lease"). The schedule, a console "run now", a catch-up and `jit org sync` all take
 * it here, or are told who holds it (SYNC_IN_PROGRESS).
 *
 * Two layers: a guard per open database in this process (two runs here never race to the database),
 * then the exclusive lease row `corp-sync:<corp>` in the runtime's lease store, held with an expiry
 * and renewed while the sync runs, so a process killed mid-sync frees it when the expiry passes. A
 * lease held by a process of this machine that no longer runs (killed mid-sync) is taken over at
 * once: on one machine (every SQLite app) nobody waits for the expiry after a crash.
 */
import { randomUUID } from 'crypto';
import { hostname } from 'os';
import { JitError, createLeaseStore, type Database } from '../../../runtime';
import { CORPS_ERRORS } from '../error-codes';
import type { SyncContext } from './sync-context';

export interface SyncLease {
  /** Who holds it, for messages ("a scheduled run since 10:02"). */
  readonly holder: string;
  release(): Promise<void>;
}

/** How long the lease outlives its last renewal: a killed process's lease is free again after this. */
export const SYNC_LEASE_TTL_MS = 60_000;
const RENEW_EVERY_MS = SYNC_LEASE_TTL_MS / 3;
/** This process, in the lease's holder column (with the run's own id): `<host>/<pid>/<run>`. */
const PROCESS_ID = `${hostname()}/${process.pid}`;

const held = new WeakMap<Database, Map<string, { holder: string; since: Date }>>();

/** Takes the corp's lease for `holder` (words: "a sync", "a dry run"), or throws SYNC_IN_PROGRESS naming who holds it. */
export async function acquireSyncLease(ctx: Pick<SyncContext, 'app' | 'corpFullName' | 'hooks'>, holder: string): Promise<SyncLease> {
  const db = ctx.app.db;
  let leases = held.get(db);
  if (!leases) held.set(db, (leases = new Map()));
  const current = leases.get(ctx.corpFullName);
  if (current) throw inProgress(ctx, current.holder, current.since);
  const local = { holder, since: new Date() };
  leases.set(ctx.corpFullName, local);
  const releaseLocal = () => {
    if (leases!.get(ctx.corpFullName) === local) leases!.delete(ctx.corpFullName);
  };

  const store = createLeaseStore(db);
  const name = `corp-sync:${ctx.corpFullName}`;
  const runHolder = `${PROCESS_ID}/${randomUUID()}`;
  const options = { ttlMs: SYNC_LEASE_TTL_MS, label: `${holder} on process ${process.pid}` };
  let taken: Awaited<ReturnType<typeof store.acquire>>;
  try {
    taken = await store.acquire(name, runHolder, options);
    if (!taken.acquired && heldByDeadLocalProcess(taken.heldBy.holder)) {
      ctx.app.logger.warn('sync lease of a process that no longer runs taken over', { corp: ctx.corpFullName, was: taken.heldBy.label });
      await store.release(name, taken.heldBy.holder);
      taken = await store.acquire(name, runHolder, options);
    }
  } catch (err) {
    releaseLocal();
    throw err;
  }
  if (!taken.acquired) {
    releaseLocal();
    throw inProgress(ctx, taken.heldBy.label ?? 'another process', taken.heldBy.acquiredAt);
  }
  const renewal = setInterval(() => {
    store.renew(name, runHolder, SYNC_LEASE_TTL_MS).catch((err: unknown) => ctx.app.logger.warn('sync lease renewal failed', { corp: ctx.corpFullName, err }));
  }, RENEW_EVERY_MS);
  renewal.unref();
  let released = false;
  return {
    holder,
    async release() {
      if (released) return;
      released = true;
      clearInterval(renewal);
      releaseLocal();
      await store.release(name, runHolder).catch((err: unknown) => ctx.app.logger.warn('sync lease release failed (it expires by itself)', { corp: ctx.corpFullName, err }));
    },
  };
}

/** A holder `<host>/<pid>/<run>` of this machine whose process is gone. */
function heldByDeadLocalProcess(holder: string): boolean {
  const [host, pid] = holder.split('/');
  if (host !== hostname() || !/^\d+$/.test(pid ?? '')) return false;
  if (Number(pid) === process.pid) return false; // this process: the in-process guard speaks for it
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function inProgress(ctx: Pick<SyncContext, 'hooks'>, holder: string, since: Date): JitError {
  return CORPS_ERRORS.error('SYNC_IN_PROGRESS', `${ctx.hooks.fullName} is being synced already (${holder}, since ${since.toISOString()}); try again when it is done`, {
    corp: ctx.hooks.fullName,
    holder,
  });
}
