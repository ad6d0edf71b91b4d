/**
 * jit-runtime's public surface: the runtime (loadApp, errors, diagnostics, the Element base) and the
 * official elements' classes, so an app's own Type can subclass them:
 *   const { DDInnerType } = require('jit-runtime');
 * Loading it loads neither the HTTP host (fastify) nor the DingTalk simulator: those are the
 * package's subpaths `jit-runtime/host` (host.ts) and `jit-runtime/sim` (sim/index.ts); the DingTalk
 * building blocks are also `jit-runtime/dingtalk` (README, "Package entry points").
 */
// The runtime's public surface for element Types (runtime/index.ts): errors, secrets, the Element base,
// persistence helpers, the guards every login Type shares.
export * from './runtime';
export * from './runtime/errors';
export * from './runtime/diagnostics';
export * from './runtime/definitions';
export * from './runtime/element';
export * from './runtime/app-types';
export * from './runtime/logger';
// Loading apps: loadApp (the runtime), loadDefinitions (definitions and diagnostics only, e.g. for tools).
export { loadApp } from './runtime/load-app';
export { dingTalkHostsOf, DEFAULT_DINGTALK_HOSTS, type DingTalkHosts } from './dingtalk/hosts';
export { App, type ReloadResult } from './runtime/app';
export { loadDefinitions, type LoadResult, type LoadDefinitionsOptions, type AppLayer } from './runtime/loader';
export { Registry } from './runtime/registry';
// The DingTalk API client (auth.getClient()), its retry defaults, the per-app DingTalk runtime (token
// cache, call budget, metrics), the budget lanes and the typed failure reasons (docs/dingtalk.md).
export {
  DDInnerClient, DEFAULT_RETRY_POLICY, createDingTalkRuntime, DingTalkRuntime, dingTalkRuntimeOf, DINGTALK_FAILURE_REASONS, DINGTALK_LANES,
} from './dingtalk/client';
export type {
  DDInnerClientOptions, RetryPolicy, DDInnerClientApi, DDCredentials, DDUserToken, DDCurrentUser, DDWorkbenchUserInfo,
  DDMember, DDDepartment, DDMemberPage, DingTalkFailureReason, DingTalkLane, DingTalkRuntimeOptions, DingTalkEvent, DingTalkMetricsSnapshot,
  BudgetStatus,
} from './dingtalk/client';
// DingTalk login (DDInnerType, its service) and local password accounts: subclass them in an app's own Type.
export { DDInnerType } from './elements/auths/loginTypes/DDInnerType/DDInnerType';
export { DDInnerAuthSvc } from './elements/auths/loginTypes/DDInnerType/services/DDInnerAuthSvc/DDInnerAuthSvc';
export { PasswordType } from './elements/auths/loginTypes/PasswordType/PasswordType';
export type { DDLoginConfig } from './elements/auths/loginTypes/DDInnerType/DDInnerType';
export type { DDInnerInstanceConfig, AuthConfig, BindingPolicy, MatchRule, MatchSource, WhenNotAssociated, LoginScope } from './elements/auths/loginTypes/DDInnerType/instance-config';
// (The shared login vocabulary, LoggedInResult, BindRequiredResult, PublicUser, ..., comes with the runtime's surface above.)
export type { DingTalkLoggedInResult, DingTalkLoginResult, CompleteBindingResult } from './elements/auths/loginTypes/DDInnerType/login-result';
export type { BindingProof, CompleteBindingOptions } from './elements/auths/loginTypes/DDInnerType/binding/complete-binding';
// The caller of an operation (browser key, address): library callers serving their own clients set it.
export { withRequestContext, currentRequestContext, type RequestContext } from './runtime/request-context';
export type { LoginCodeArgs, LoginType, LoginPlatform } from './elements/auths/loginTypes/DDInnerType/login-args';
// The corps family (docs/org-sync.md): organisations kept in the app's database, with memberships per
// corp. CorpType is the base of every corps Type (an app's own too); DDInnerCorpType is the DingTalk one.
export { CorpType, CORPS_META } from './elements/corps/CorpType';
export type { LocalMember, LocalCorpPage, CorpInfo, CorpStatus } from './elements/corps/CorpType';
export { DDInnerCorpType, DD_CORP_TYPE } from './elements/corps/DDInnerType/DDInnerCorpType';
export type { CorpSettings } from './elements/corps/corp-settings';
export { resolveCorp, requireCorp, createCorpCommand, type ResolvedCorp } from './elements/corps/resolve-corp';
export { startCorpSyncScheduler } from './elements/corps/corp-sync-scheduler';
// Live events (docs/org-sync.md, Live events): a watcher per corp with sync.events, as jit serve runs them.
export { startCorpEventWatchers, readStreamStatus, type CorpEventWatchers } from './elements/corps/corp-event-watchers';
export type { CorpEventWatcher, CorpWatcherStatus, WatchEventsOptions } from './elements/corps/events/corp-watcher';
export type { LiveChange, LiveChangeOutcome, LiveMemberFact, LiveMemberResult } from './elements/corps/events/live-change';
export type { CorpEventsStatus } from './elements/corps/events/events-status';
export { runOrgSync, startSyncScheduler, formatSummary as formatSyncSummary, acquireSyncLease } from './elements/corps/sync';
export type {
  SyncOptions, SyncSummary, SyncProgress, SyncFailure, OrgSyncScheduler, OrgSyncSchedulerOptions, OrgSyncTarget, SyncContext, SyncLease,
  CorpMember, CorpDepartment, CorpDataChunk, CorpDataOptions, CorpSyncHooks, MemberBinding, BindDecision, BindingChanges, UserPatch,
} from './elements/corps/sync';
export type { EndedMembership, LeaverAction } from './elements/corps/membership/end-membership';
export type { RestoredMembership } from './elements/corps/membership/restore-membership';
export { isProvisioned } from './elements/corps/membership/provisioned';
export { OrgModel, ORG_MODEL } from './elements/corps/models/OrgModel/OrgModel';
export type { CorpDepartmentRow, CorpMemberRow, CorpDepartmentMemberRow, CorpSyncRunRow, MemberStatus } from './elements/corps/models/OrgModel/OrgModel';
// Deprecated for this release (each warns once): org sync through the login, and the old scheduler name.
export { syncOrganization, startOrgSyncScheduler } from './elements/corps/deprecated';
// Persistence: model elements (NormalModel) contribute entities + migrations (portable column helpers);
// generic auth stores (local users, sessions, single-use tickets); the DingTalk bindings model.
export { openDatabase, resolveDatabaseUrl, parseDatabaseUrl, redactDatabaseUrl, isUniqueViolation, insertUnlessExists, coreModels, createLeaseStore } from './runtime/db';
export { timestampColumn, timestampType, timestampTableColumn, idTableColumn } from './runtime/db';
export type { Database, DatabaseKind, ModelContribution, OpenDatabaseOptions, UserRow, SessionRow, TicketRow, LeaseStore, LeaseInfo, AcquireResult } from './runtime/db';
export { createAuthStores, createLogVerificationSender, createWebhookVerificationSender, normalizePhone, SCRYPT_COST } from './runtime/auth';
export type {
  AuthStores, AuthStoreOptions, UserStore, LocalUser, NewLocalUser, UserMatchAttribute, SessionStore, Session, TicketStore, Ticket, VerificationSender,
  FailureCounterStore, FailureCounterView, PasswordCost,
} from './runtime/auth';
// The audit trail (app.audit): event types, the store, the host's retention timer (docs/operators.md).
export { AUDIT_EVENT_TYPES, AUDIT_OK, DatabaseAuditLog, startAuditRetention, sanitizeDetails } from './runtime/audit';
export type {
  AuditLog, AuditEvent, AuditEventInput, AuditEventType, KnownAuditEventType, AdminAuditEventType, AuditFilter, AuditQuery, AuditPage, AuditExportOptions,
  AuditRetention, AuditRetentionOptions, AuditStoreOptions,
} from './runtime/audit';
export { NormalModel } from './elements/models/NormalType/NormalModel';
export { DDInnerAuthModel } from './elements/auths/loginTypes/DDInnerType/DDInnerAuthModel/DDInnerAuthModel';
export type { DDInnerAuthRow, NewDDInnerAuthRow, DDInnerAuthProfile } from './elements/auths/loginTypes/DDInnerType/DDInnerAuthModel/DDInnerAuthModel';
