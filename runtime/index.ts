/**
 * The runtime's public surface for elements: everything an element Type needs (the official ones in
 * elements/ and dingtalk/, and an app's own) and nothing else. Elements import from here (or from its
 * light half, `./core`) only; tests/architecture/public-surface.test.ts fails on a deep import into
 * runtime/'s files, so the runtime can reorganise its inside without breaking any Type. The package
 * re-exports it all.
 */
export * from './core';
// Elements.
export { Element, type ElementContext } from './element';
export type { BoundAccount, HostContribution } from './contributions';
export type { ContributedLoginPage, LoginPageRefusal, PageNeeds } from './contributions';
export { isSriToken, sriHash, SRI_TOKEN_PATTERN, type SriAlgorithm } from './script-integrity';
// Persistence: the database, portable columns for a model's entities and migrations, the transaction
// helper that retries write conflicts, and small stores.
export { ID_LENGTH, idTableColumn, timestampColumn, timestampTableColumn, timestampType } from './db/portable-columns';
export { transactionRetryingConflicts } from './db/retry-on-conflict';
export { insertUnlessExists } from './db/insert-unless-exists';
export { sameStoredValue } from './db/stored-values';
export { createLeaseStore } from './db/leases';
// Local accounts and the guards every login Type shares: proof limits, failure counters, client binding.
export type { LocalUser, NewLocalUser, Ticket, TicketStore, UserMatchAttribute } from './auth/types';
export { normalizePhone } from './auth/phone';
// The local users' table itself, for work on many users in one transaction (org sync writes in bulk).
export { UserEntity, type UserRow } from './db/core-models';
export { accountKey, addressKeys, phoneKey, tooManyActions, withProofLimits } from './auth/proof-limits';
export type { ActionLimit, CounterKey, GuardedKey } from './auth/failure-counters';
export { clientKeyDigest, isSameClient, issueClientBinding, presentedClientKey } from './auth/client-binding';
export { countLogin } from './auth/login-metrics';
// The operator's record.
export type { AuditEventInput } from './audit/types';
// The login vocabulary every login Type shares: result shapes, opening a session, BIND_REQUIRED.
export { assertUserEnabled, bindRequired, openSession, publicUser } from './auth/login-result';
export type { BindingKind, BindingMemberView, BindRequiredResult, CodeSentResult, LoggedInResult, PublicUser } from './auth/login-result';
// Config: a config made in code (not read by the loader) gets its schema's defaults the same way.
export { withConfigDefaults } from './loader/validate';
