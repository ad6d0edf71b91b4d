/**
 * Org sync of the corps family: a corp's organisation into the app's database, once (`syncCorp`,
 * `jit org sync`) or on a schedule (`startCorpSyncScheduler`, `jit serve`). See docs/org-sync.md.
 */
export { runOrgSync, DEFAULT_SYNC_CONCURRENCY, type SyncOptions } from './run-org-sync';
export { startSyncScheduler, type OrgSyncScheduler, type OrgSyncSchedulerOptions, type OrgSyncTarget } from './scheduler';
export { formatSummary, hasFailures, SUMMARY_LIST_LIMIT, type SyncSummary } from './summary';
export type { SyncProgress, SyncPhase } from './progress';
export { describeFailure, type SyncFailure } from './failures';
export type { CorpMember, CorpDepartment, CorpDataChunk, CorpDataOptions, CorpSyncHooks, MemberBinding, BindDecision, BindingChanges, UserPatch } from './hooks';
export type { SyncContext } from './sync-context';
export { acquireSyncLease, type SyncLease } from './sync-lease';
