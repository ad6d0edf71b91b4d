/**
 * The one comparison of a listed member against what the database holds for them. The plan runs it
 * on a snapshot (for --dry-run and to skip unchanged members without a transaction); apply runs it
 * again inside the member's transaction on fresh rows, and writes exactly what it reports. Nothing
 * is written when nothing differs, which is what makes a second run a no-op.
 */
import type { LocalUser } from '../../../runtime/auth/types';
import { normalizePhone } from '../../../runtime/auth/phone';
import type { DDMember } from '../../../dingtalk/client/types';
import type { DDInnerAuthProfile, DDInnerAuthRow } from '../../auths/loginTypes/DDInnerType/DDInnerAuthModel/DDInnerAuthModel';
import type { DDOrgMemberRow, OrgMemberFields } from '../models/OrgModel/DDDepartmentModel';
import { bindingProfile, changedProfileFields, newUserFromMember, sameStoredValue } from '../../../dingtalk/profile';
import { isManagedBy } from './sync-context';

/** A member as the walk found them: the record and the departments they belong to (sorted). */
export interface ListedMember {
  member: DDMember;
  deptIds: number[];
  /**
   * True when the walk was incomplete: a department that failed may be one of theirs, so links are
   * only added, never removed (like leavers, nothing is taken away on partial knowledge).
   */
  partial: boolean;
}

/** What the database holds for one member. */
export interface MemberState {
  binding: DDInnerAuthRow | null;
  /** The bound local user (null without a binding). */
  user: LocalUser | null;
  orgRow: DDOrgMemberRow | null;
  /** The member's department links. */
  deptIds: ReadonlySet<number>;
}

export type UserPatch = Partial<Pick<LocalUser, 'displayName' | 'phone' | 'email' | 'employeeNo' | 'disabled'>>;

export interface MemberChanges {
  /** For people: `binding.phone`, `user.displayName`, `user.enabled`, `member.added`, `departments`... */
  changes: string[];
  /** The binding's new profile, when any of its columns differs. */
  profile?: DDInnerAuthProfile;
  /** Fields of a managed user to write (profile fields, `disabled: false` for a returning member). */
  userPatch?: UserPatch;
  /** The org record to write, when it is missing or differs. */
  orgFields?: OrgMemberFields;
  /** The member's departments, when the links differ. */
  deptIds?: number[];
}

const USER_FIELDS = ['displayName', 'phone', 'email', 'employeeNo'] as const;

export function diffMember(instance: string, listed: ListedMember, state: MemberState): MemberChanges {
  const { member } = listed;
  const result: MemberChanges = { changes: [] };

  if (state.binding) {
    const profile = bindingProfile(member);
    const binding = state.binding;
    const changed = changedProfileFields(binding, profile);
    if (changed.length > 0) {
      result.profile = profile;
      result.changes.push(...changed.map((field) => `binding.${field}`));
    }
  }

  const returning = Boolean(state.orgRow?.disabledUserId) && state.orgRow?.disabledUserId === state.user?.id && state.user?.disabled === true;
  if (state.user && isManagedBy(instance, state.user)) {
    const patch = userPatchFor(member, state.user);
    if (returning) patch.disabled = false;
    const fields = Object.keys(patch) as Array<keyof UserPatch>;
    if (fields.length > 0) {
      result.userPatch = patch;
      result.changes.push(...fields.map((field) => (field === 'disabled' ? 'user.enabled' : `user.${field}`)));
    }
  }

  const orgFields: OrgMemberFields = { unionId: text(member.unionid), name: text(member.name) ?? member.userid, leftAt: null, disabledUserId: null };
  const orgChanges = orgRecordChanges(state.orgRow, orgFields);
  if (orgChanges.length > 0) {
    result.orgFields = orgFields;
    result.changes.push(...orgChanges);
  }

  const deptIds = listed.partial ? [...new Set([...listed.deptIds, ...state.deptIds])].sort((a, b) => a - b) : listed.deptIds;
  if (!sameSet(deptIds, state.deptIds)) {
    result.deptIds = deptIds;
    result.changes.push('departments');
  }
  return result;
}

/** The fields of a managed user the member record now says otherwise. */
function userPatchFor(member: DDMember, user: LocalUser): UserPatch {
  const wanted = newUserFromMember(member, user.username, user.source);
  const patch: UserPatch = {};
  for (const field of USER_FIELDS) {
    const value = field === 'phone' ? normalizePhone(wanted.phone) : (wanted[field] ?? null);
    if (!sameStoredValue(value, user[field])) (patch as Record<string, unknown>)[field] = value;
  }
  return patch;
}

function orgRecordChanges(row: DDOrgMemberRow | null, wanted: OrgMemberFields): string[] {
  if (!row) return ['member.added'];
  const changes: string[] = [];
  if (row.leftAt != null) changes.push('member.returned');
  if (!sameStoredValue(row.name, wanted.name)) changes.push('member.name');
  if (!sameStoredValue(row.unionId, wanted.unionId)) changes.push('member.unionId');
  // A member present again whose marker outlived the return (an admin re-enabled them first).
  if (row.disabledUserId != null && row.leftAt == null) changes.push('member.disabledUserId');
  return changes;
}

/** Equality across what drivers hand back: null/undefined alike, dates by instant, numbers as text. */
function sameSet(wanted: readonly number[], have: ReadonlySet<number>): boolean {
  return wanted.length === have.size && wanted.every((id) => have.has(id));
}

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}
