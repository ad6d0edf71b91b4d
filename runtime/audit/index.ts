/** The audit trail: event types, the store behind `app.audit`, retention. See docs/operators.md. */
export * from './types';
export { DatabaseAuditLog, DEFAULT_AGGREGATION_WINDOW_SECONDS, type AuditStoreOptions } from './store';
export { startAuditRetention, DEFAULT_AUDIT_PRUNE_INTERVAL_MS, type AuditRetention, type AuditRetentionOptions } from './retention';
export { sanitizeDetails, isSecretKey } from './sanitize';
export { matchesAuditType, readTypeFilter } from './type-filter';
export { parseAuditTime } from './time-spec';
export { cliActor, type CliActor } from './actor';
