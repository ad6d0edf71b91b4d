/**
 * What one sync of one corp works with: the corps Type's hooks (its organisation and binding rules),
 * the family's tables and the corp's leaver settings. The Type builds it from its own pieces and
 * passes it to `runOrgSync(ctx, options)`; nothing under sync/ reaches back into a Type. The membership
 * rules (offline, restore) take the same context.
 */
import type { AppHandle } from '../../../runtime';
import type { OrgModel } from '../models/OrgModel/OrgModel';
import type { CorpMember, CorpSyncHooks } from './hooks';

export interface SyncContext<M extends CorpMember = CorpMember> {
  app: AppHandle;
  hooks: CorpSyncHooks<M>;
  orgModel: OrgModel;
  /** The corp's key in the family tables. */
  corpFullName: string;
  /** leavers.disableUnmanaged: disable accounts we did not create too (when no binding is left). */
  disableUnmanaged: boolean;
}

/** One run of a sync: the context and the run's id, the stamp it leaves on every membership it lists. */
export interface RunContext<M extends CorpMember = CorpMember> extends SyncContext<M> {
  runId: string;
  /**
   * When the run started, before it read the organisation: its snapshot is at least this new. A
   * membership or department changed after it (a live event, an operator) is newer than the snapshot,
   * and the run leaves it as it is (DECISIONS "Sync lease": a live event is not undone by a sync).
   */
  startedAt: Date;
}
