/**
 * The light half of the runtime's public surface: what code with no database needs (errors, secrets,
 * logging, the request context, and the types of apps and elements). The DingTalk API client imports
 * only this, so a library caller of the client alone does not load the persistence layer (TypeORM);
 * `runtime/index.ts` re-exports all of it.
 */
export type { AppHandle } from './app-types';
export type { ElementDefinition } from './definitions';
export type { Database, ModelContribution, LeaseStore } from './db';
// Errors: the one error class and its codes.
export { JitError, isJitError, ERROR_CODES, type ErrorCode } from './errors';
// Error codes an element declares (its Type's module exports them as `errorCodes`), and the login codes every login Type shares.
export {
  defineErrorCodes, defineCodeVocabulary, CORE_ERRORS, CORE_PAGE_CODES,
  type CodeKind, type CodeOf, type CodeTable, type CodeWords, type ErrorCodeTable, type ErrorCodeLookup, type RegisteredCode,
} from './errors';
export { LOGIN_ERRORS, LOGIN_REASONS, type LoginErrorCode, type LoginReason } from './auth/login-error-codes';
// Secrets and logging: a Type registers every secret it holds, so no log line, error or response carries it.
export { registerSecret, forgetSecret, redactSecrets, SecretRegistry } from './secrets';
export type { Logger } from './logger';
// The caller of the current operation (browser key, address), set by the host.
export { currentRequestContext, withRequestContext, type RequestContext } from './request-context';
