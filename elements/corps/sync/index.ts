/**
 * Org sync of DDInnerType: departments and members from DingTalk into the app's database, once
 * (`syncOrganization`, `jit org sync`) or on a schedule (`startOrgSyncScheduler`, `jit serve`).
 * See docs/org-sync.md.
 */
export { syncOrganization, DEFAULT_SYNC_CONCURRENCY, type SyncOptions } from './sync-organization';
export { startOrgSyncScheduler, type OrgSyncScheduler, type OrgSyncSchedulerOptions } from './scheduler';
export { formatSummary, hasFailures, type SyncSummary } from './summary';
export { createProgressBar, progressLine, type ProgressBar, type SyncProgress, type SyncPhase } from './progress';
export { describeFailure, type SyncFailure } from './failures';
