/**
 * What the runtime keeps of a DingTalk member. Everything comes from the corp member record
 * (`topapi/v2/user/get` or the member lists of org sync), never from `/v1.0/contact/users/me`:
 * the `/me` email is the person's personal mailbox and may belong to another organisation.
 */
import type { DDMember } from './client/types';
import type { NewLocalUser } from '../../../../runtime/auth/types';
import type { MatchSource } from './instance-config';
import type { DDInnerAuthProfile } from './DDInnerAuthModel/DDInnerAuthModel';

/** The binding's profile columns (refreshed on every login) as the member record has them now. */
export function bindingProfile(member: DDMember): DDInnerAuthProfile {
  return {
    unionId: text(member.unionid),
    jobNumber: text(member.job_number),
    phone: text(member.mobile),
    email: memberEmail(member),
    hiredDate: typeof member.hired_date === 'number' && Number.isFinite(member.hired_date) ? new Date(member.hired_date) : null,
    photo: text(member.avatar),
  };
}

/** A new local user for a member (whenNotAssociated: createUser); the username is chosen by the caller. */
export function newUserFromMember(member: DDMember, username: string, source: string): NewLocalUser {
  return {
    username,
    displayName: text(member.name) ?? username,
    phone: text(member.mobile),
    email: memberEmail(member),
    employeeNo: text(member.job_number),
    source,
  };
}

/** The value a match rule's `source` reads from the member record; null when the member has none. */
export function memberAttribute(member: DDMember, source: MatchSource): string | null {
  switch (source) {
    case 'mobile':
      return text(member.mobile);
    case 'email':
      return text(member.email);
    case 'org_email':
      return text(member.org_email);
    case 'job_number':
      return text(member.job_number);
    case 'userid':
      return text(member.userid);
    case 'unionid':
      return text(member.unionid);
    case 'name':
      return text(member.name);
  }
}

/** The email the corp recorded for the member, else their corp mailbox (org_email). */
function memberEmail(member: DDMember): string | null {
  return text(member.email) ?? text(member.org_email);
}

function text(value: unknown): string | null {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}
