/**
 * The sync lease: one sync of a corp at a time. DECISIONS "Sync lease": across every host on the
 * database, as a lease row with an expiry that the schedule, a console "run now", a catch-up and
 * `jit org sync` take, or say who holds it.
 *
 * THIS IS THE SEAM, NOT THE LEASE YET: today it only guards within one process (per open database),
 * which is what the scheduler and the library need to never run one corp twice at once here. The
 * database lease store (runtime/db) is being built beside this work; `acquireSyncLease` is the one
 * place to switch to it, and its callers already handle SYNC_IN_PROGRESS.
 */
import { JitError } from '../../../runtime/errors';
import type { Database } from '../../../runtime/db/types';
import type { SyncContext } from './sync-context';

export interface SyncLease {
  /** Who holds it, for messages ("a scheduled run since 10:02"). */
  readonly holder: string;
  release(): void;
}

const held = new WeakMap<Database, Map<string, { holder: string; since: Date }>>();

/** Takes the corp's lease for `holder`, or throws SYNC_IN_PROGRESS naming who holds it. */
export function acquireSyncLease(ctx: Pick<SyncContext, 'app' | 'corpFullName' | 'hooks'>, holder: string): SyncLease {
  const db = ctx.app.db;
  let leases = held.get(db);
  if (!leases) held.set(db, (leases = new Map()));
  const current = leases.get(ctx.corpFullName);
  if (current) {
    throw new JitError('SYNC_IN_PROGRESS', `${ctx.hooks.fullName} is being synced already (${current.holder}, since ${current.since.toISOString()}); try again when it is done`, {
      corp: ctx.hooks.fullName,
      holder: current.holder,
    });
  }
  const lease = { holder, since: new Date() };
  leases.set(ctx.corpFullName, lease);
  let released = false;
  return {
    holder,
    release() {
      if (released) return;
      released = true;
      if (leases!.get(ctx.corpFullName) === lease) leases!.delete(ctx.corpFullName);
    },
  };
}
