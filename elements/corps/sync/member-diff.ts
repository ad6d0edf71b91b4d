/**
 * The one comparison of a listed member against what the database holds for them. The plan runs it
 * on a snapshot (for --dry-run and to skip unchanged members without a transaction); apply runs it
 * again inside the member's transaction on fresh rows, and writes exactly what it reports. Nothing
 * is written when nothing differs, which is what makes a second run a no-op. (The run stamp a run
 * leaves on the members it listed is bookkeeping, not a change.)
 *
 * A member listed again after their membership was recorded as left comes back as the same
 * membership, binding and user: the binding opens sessions again, and the user is enabled again if
 * this corp disabled it (`disabledUserId`); an account an administrator disabled stays disabled.
 */
import { type LocalUser, normalizePhone, sameStoredValue } from '../../../runtime';
import type { CorpMemberRow, MemberFields } from '../models/OrgModel/OrgModel';
import type { CorpMember, CorpSyncHooks, MemberBinding, UserPatch } from './hooks';

/** A member as the walk found them: the record and the departments they belong to (sorted). */
export interface ListedMember<M extends CorpMember = CorpMember> {
  member: M;
  deptIds: number[];
  /**
   * True when the walk was incomplete: a department that failed may be one of theirs, so links are
   * only added, never removed (like leavers, nothing is taken away on partial knowledge).
   */
  partial: boolean;
}

/** What the database holds for one member. */
export interface MemberState {
  membership: CorpMemberRow | null;
  binding: MemberBinding | null;
  /** The bound local user (null without a binding). */
  user: LocalUser | null;
  /** The member's department links. */
  deptIds: ReadonlySet<number>;
}

export interface MemberChanges {
  /** For people: `binding.phone`, `user.displayName`, `user.enabled`, `member.added`, `departments`... */
  changes: string[];
  /** The binding's profile patch (the Type's own shape), when its profile differs. */
  bindingPatch?: unknown;
  /** The binding was marked left and the member is back. */
  restoreBinding?: boolean;
  /** Fields of the user to write (profile fields of a user this corp owns, `disabled: false` for a return). */
  userPatch?: UserPatch;
  /** The membership to write, when it is missing or differs. */
  memberFields?: MemberFields;
  /** The member's departments, when the links differ. */
  deptIds?: number[];
}

type ProfileHooks<M extends CorpMember> = Pick<CorpSyncHooks<M>, 'bindingChanges' | 'userFields' | 'ownsProfileOf'>;

const USER_FIELDS = ['displayName', 'phone', 'email', 'employeeNo'] as const;

export function diffMember<M extends CorpMember>(hooks: ProfileHooks<M>, listed: ListedMember<M>, state: MemberState): MemberChanges {
  const { member } = listed;
  const { membership, binding, user } = state;
  const result: MemberChanges = { changes: [] };

  if (binding) {
    const profile = hooks.bindingChanges(member, binding);
    if (profile && profile.changes.length > 0) {
      result.bindingPatch = profile.patch;
      result.changes.push(...profile.changes);
    }
    if (binding.leftAt != null) {
      result.restoreBinding = true;
      result.changes.push('binding.restored');
    }
  }

  if (user) {
    const patch: UserPatch = hooks.ownsProfileOf(user) ? userPatchFor(hooks.userFields(member, user), user) : {};
    // Back after this corp disabled them (the marker proves it was us, not an administrator).
    if (membership?.disabledUserId != null && membership.disabledUserId === user.id && user.disabled) patch.disabled = false;
    const fields = Object.keys(patch) as Array<keyof UserPatch>;
    if (fields.length > 0) {
      result.userPatch = patch;
      result.changes.push(...fields.map((field) => (field === 'disabled' ? 'user.enabled' : `user.${field}`)));
    }
  }

  const wanted: MemberFields = {
    unionId: text(member.unionid),
    name: text(member.name) ?? member.userid,
    status: 'active',
    localUserId: binding?.userId ?? null,
    bindingId: binding?.id ?? null,
    leftAt: null,
    disabledUserId: null,
  };
  const memberChanges = membershipChanges(membership, wanted);
  if (memberChanges.length > 0) {
    result.memberFields = wanted;
    result.changes.push(...memberChanges);
  }

  const deptIds = listed.partial ? [...new Set([...listed.deptIds, ...state.deptIds])].sort((a, b) => a - b) : listed.deptIds;
  if (!sameSet(deptIds, state.deptIds)) {
    result.deptIds = deptIds;
    result.changes.push('departments');
  }
  return result;
}

/** The user fields the member record says otherwise. */
function userPatchFor(wanted: UserPatch, user: LocalUser): UserPatch {
  const patch: UserPatch = {};
  for (const field of USER_FIELDS) {
    if (!(field in wanted)) continue;
    const value = field === 'phone' ? normalizePhone(wanted.phone) : (wanted[field] ?? null);
    if (!sameStoredValue(value, user[field])) (patch as Record<string, unknown>)[field] = value;
  }
  return patch;
}

function membershipChanges(row: CorpMemberRow | null, wanted: MemberFields): string[] {
  if (!row) return ['member.added'];
  const changes: string[] = [];
  if (row.status !== 'active') changes.push('member.returned');
  if (!sameStoredValue(row.name, wanted.name)) changes.push('member.name');
  if (!sameStoredValue(row.unionId, wanted.unionId)) changes.push('member.unionId');
  if (!sameStoredValue(row.localUserId, wanted.localUserId) || !sameStoredValue(row.bindingId, wanted.bindingId)) changes.push('member.binding');
  // A member present again whose marker outlived the return (an admin re-enabled them first).
  if (row.disabledUserId != null && row.status === 'active') changes.push('member.disabledUserId');
  return changes;
}

function sameSet(wanted: readonly number[], have: ReadonlySet<number>): boolean {
  return wanted.length === have.size && wanted.every((id) => have.has(id));
}


function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}
