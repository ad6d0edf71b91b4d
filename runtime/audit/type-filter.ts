/**
 * Audit event types as callers write them and as `--type` filters name them: a known type, an
 * operator action `admin.<action>`, or (filters only) a prefix ending in `.*` such as `admin.*`.
 */
import { JitError } from '../errors';
import { closestNames } from '../loader/names';
import { AUDIT_EVENT_TYPES } from './types';

const KNOWN: ReadonlySet<string> = new Set(AUDIT_EVENT_TYPES);
/** admin.<action>: dotted lower-camel words, e.g. admin.user.disabled, admin.instance.updated. */
const ADMIN_TYPE = /^admin(\.[a-z][A-Za-z0-9_-]*)+$/;
const PREFIX = /^[a-z][A-Za-z0-9_-]*(\.[a-z][A-Za-z0-9_-]*)*$/;

/** True for a type an event may be recorded with. */
export function matchesAuditType(type: string): boolean {
  return KNOWN.has(type) || (type.length <= 96 && ADMIN_TYPE.test(type));
}

export type TypeFilter = { exact: string; prefix?: undefined } | { exact?: undefined; prefix: string };

/** `login.failed` -> exact; `admin.*` -> the prefix `admin.`. BAD_REQUEST, with a suggestion, otherwise. */
export function readTypeFilter(filter: string): TypeFilter {
  if (typeof filter === 'string' && filter.endsWith('.*') && PREFIX.test(filter.slice(0, -2))) return { prefix: filter.slice(0, -1) };
  if (typeof filter === 'string' && matchesAuditType(filter)) return { exact: filter };
  const [suggestion] = typeof filter === 'string' ? closestNames(filter, AUDIT_EVENT_TYPES, 1) : [];
  throw new JitError(
    'BAD_REQUEST',
    `Unknown audit type ${JSON.stringify(filter)}${suggestion ? `: did you mean ${suggestion}?` : ''} ` +
      `(a type such as login.failed, admin.<action>, or a prefix such as admin.* or login.*)`,
  );
}
