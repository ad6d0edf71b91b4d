/** Persistence: database URLs, opening a database, the core models, leases and portable column helpers. */
export * from './types';
export { openDatabase, type OpenDatabaseOptions } from './open-database';
export { resolveDatabaseUrl, parseDatabaseUrl, redactDatabaseUrl, DATABASE_URL_ENV, type ParsedDatabaseUrl } from './url';
export { isUniqueViolation, withoutQueryParameters } from './query-errors';
export { insertUnlessExists } from './insert-unless-exists';
export { transactionRetryingConflicts, CONFLICT_ATTEMPTS } from './retry-on-conflict';
export { coreModels, UserEntity, SessionEntity, TicketEntity, type UserRow, type SessionRow, type TicketRow } from './core-models';
export { createLeaseStore, LeaseEntity, type LeaseStore, type LeaseStoreOptions, type LeaseOptions, type LeaseInfo, type LeaseRow, type LeaseKind, type AcquireResult } from './leases';
export { timestampColumn, timestampType, timestampTableColumn, idTableColumn, ID_LENGTH } from './portable-columns';
export { sameStoredValue } from './stored-values';
