/**
 * What went wrong in a sync, as data for the summary. Two families with different consequences:
 *   - fetch failures (a department's sub-departments or a page of its members could not be read
 *     after the client's retries): the walk is incomplete, so nobody is disabled in that run;
 *   - member failures (one member could not be applied, e.g. AMBIGUOUS_MATCH): that member is
 *     skipped; the walk is still complete.
 * Messages come from JitErrors, which never carry secrets; they pass the redactor anyway on output.
 */
import { isJitError } from '../../../runtime';

export type SyncFailure =
  | { kind: 'subDepartments'; deptId: number; code: string; message: string }
  | { kind: 'memberPage'; deptId: number; cursor: number; code: string; message: string }
  | { kind: 'member'; userid: string; name?: string; code: string; message: string };

export type FetchFailure = Extract<SyncFailure, { kind: 'subDepartments' | 'memberPage' }>;

/** The stable code and message of any error (a JitError's own; anything else is INTERNAL_ERROR). */
export function describeError(err: unknown): { code: string; message: string } {
  if (isJitError(err)) return { code: err.code, message: err.message };
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
