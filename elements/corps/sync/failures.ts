/**
 * What went wrong in a sync, as data for the summary. Two families with different consequences:
 *   - fetch failures (a department's sub-departments or a page of its members could not be read
 *     after the client's retries): the walk is incomplete, so nobody is disabled in that run;
 *   - member failures (one member could not be applied, e.g. AMBIGUOUS_MATCH): that member is
 *     skipped; the walk is still complete.
 * Messages come from JitErrors, which never carry secrets; they pass the redactor anyway on output.
 */
import { CORE_ERRORS, isJitError, LOGIN_ERRORS, type CodeOf } from '../../../runtime';
import { DINGTALK_ERRORS } from '../../../dingtalk/error-codes';
import { CORPS_ERRORS } from '../error-codes';

/**
 * The code of a sync failure: an error code of the runtime, the login vocabulary, DingTalk or the
 * corps family, all registered in the app's registry (`app.errorCodes.lookup(code)`).
 */
export type SyncFailureCode = CodeOf<typeof CORE_ERRORS> | CodeOf<typeof LOGIN_ERRORS> | CodeOf<typeof DINGTALK_ERRORS> | CodeOf<typeof CORPS_ERRORS>;

const SYNC_FAILURE_TABLES = [CORE_ERRORS, LOGIN_ERRORS, DINGTALK_ERRORS, CORPS_ERRORS] as const;

export function isSyncFailureCode(code: string): code is SyncFailureCode {
  return SYNC_FAILURE_TABLES.some((table) => table.has(code));
}

export type SyncFailure =
  | { kind: 'subDepartments'; deptId: number; code: SyncFailureCode; message: string }
  | { kind: 'memberPage'; deptId: number; cursor: number; code: SyncFailureCode; message: string }
  | { kind: 'member'; userid: string; name?: string; code: SyncFailureCode; message: string };

export type FetchFailure = Extract<SyncFailure, { kind: 'subDepartments' | 'memberPage' }>;

/**
 * The stable code and message of any error: a JitError's own; anything else, or a code of another
 * family (a custom corps Type's own), is INTERNAL_ERROR with that code in the message.
 */
export function describeError(err: unknown): { code: SyncFailureCode; message: string } {
  if (isJitError(err)) return isSyncFailureCode(err.code) ? { code: err.code, message: err.message } : { code: 'INTERNAL_ERROR', message: `${err.code}: ${err.message}` };
  return { code: 'INTERNAL_ERROR', message: err instanceof Error ? err.message : String(err) };
}

/** One line for people, e.g. `department 42, members from cursor 100: DINGTALK_UNAVAILABLE ...`. */
export function describeFailure(failure: SyncFailure): string {
  switch (failure.kind) {
    case 'subDepartments':
      return `department ${failure.deptId}, sub-departments: ${failure.code} ${failure.message}`;
    case 'memberPage':
      return `department ${failure.deptId}, members from cursor ${failure.cursor}: ${failure.code} ${failure.message}`;
    case 'member':
      return `member ${failure.userid}${failure.name ? ` (${failure.name})` : ''}: ${failure.code} ${failure.message}`;
  }
}
