/**
 * What the runtime keeps of a DingTalk member. Everything comes from the corp member record
 * (`topapi/v2/user/get` or the member lists of org sync), never from `/v1.0/contact/users/me`:
 * the `/me` email is the person's personal mailbox and may belong to another organisation.
 */
import type { DDMember } from './client/types';
import { type NewLocalUser, sameStoredValue } from '../runtime';
import type { MatchSource } from './binding/policy';
import { PROFILE_FIELDS, type DDBindingProfile } from './binding/binding-store';

/**
 * The columns member data is stored in (users, dd_inner_auth). DingTalk's own limits are smaller,
 * but the member record is input from outside: it must fit, or a login would fail on the database.
 */
const COLUMN_LENGTH = { displayName: 255, email: 255, phone: 32, jobNumber: 64, unionId: 64 } as const;

/** The binding's profile columns (refreshed on every login) as the member record has them now. */
export function bindingProfile(member: DDMember): DDBindingProfile {
  return {
    unionId: identifier(member.unionid, COLUMN_LENGTH.unionId),
    jobNumber: identifier(member.job_number, COLUMN_LENGTH.jobNumber),
    phone: identifier(member.mobile, COLUMN_LENGTH.phone),
    email: memberEmail(member),
    hiredDate: typeof member.hired_date === 'number' && Number.isFinite(member.hired_date) ? new Date(member.hired_date) : null,
    photo: text(member.avatar),
  };
}

/**
 * The profile fields whose stored value differs from the member record's, so that a login or a sync
 * writes only when DingTalk changed something. Dates compare by instant; absent and null are equal.
 */
export function changedProfileFields(stored: DDBindingProfile, current: DDBindingProfile): Array<keyof DDBindingProfile> {
  return PROFILE_FIELDS.filter((field) => !sameStoredValue(stored[field], current[field]));
}


/** A new local user for a member (whenNotAssociated: createUser); the username is chosen by the caller. */
export function newUserFromMember(member: DDMember, username: string, source: string): NewLocalUser {
  return {
    username,
    displayName: text(member.name)?.slice(0, COLUMN_LENGTH.displayName) ?? username,
    phone: identifier(member.mobile, COLUMN_LENGTH.phone),
    email: memberEmail(member),
    employeeNo: identifier(member.job_number, COLUMN_LENGTH.jobNumber),
    source,
  };
}

/** The value a match rule's `source` reads from the member record; null when the member has none. */
export function memberAttribute(member: DDMember, source: MatchSource): string | null {
  switch (source) {
    case 'mobile':
      return identifier(member.mobile, COLUMN_LENGTH.phone);
    case 'email':
      return identifier(member.email, COLUMN_LENGTH.email);
    case 'org_email':
      return identifier(member.org_email, COLUMN_LENGTH.email);
    case 'job_number':
      return identifier(member.job_number, COLUMN_LENGTH.jobNumber);
    case 'userid':
      return identifier(member.userid, COLUMN_LENGTH.unionId);
    case 'unionid':
      return identifier(member.unionid, COLUMN_LENGTH.unionId);
    case 'name':
      return identifier(member.name, COLUMN_LENGTH.displayName);
  }
}

/** The email the corp recorded for the member, else their corp mailbox (org_email). */
function memberEmail(member: DDMember): string | null {
  return identifier(member.email, COLUMN_LENGTH.email) ?? identifier(member.org_email, COLUMN_LENGTH.email);
}

/** Trimmed text, null when empty. NUL characters are dropped: PostgreSQL refuses them in text. */
function text(value: unknown): string | null {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.replace(/\u0000/g, '').trim();
  return trimmed === '' ? null : trimmed;
}

/**
 * A value that identifies someone (phone, email, job number): one that does not fit its column, or
 * that held a NUL, is treated as absent, never cut or cleaned: an altered identifier could match
 * (or bind to) another person.
 */
function identifier(value: unknown, maxLength: number): string | null {
  if (typeof value === 'string' && value.includes('\u0000')) return null;
  const cleaned = text(value);
  return cleaned !== null && cleaned.length <= maxLength ? cleaned : null;
}

export { sameStoredValue };
