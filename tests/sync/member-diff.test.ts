/**
 * The one comparison sync writes by (member-diff.ts): what counts as a change, and what never does.
 * Pure: a listed member against rows shaped as the database returns them, with the DingTalk corp's
 * profile rules (binding profile, user fields, which users it owns).
 */
import type { LocalUser } from '../../runtime/auth/types';
import type { DDMember } from '../../dingtalk/client/types';
import type { DDBindingRow } from '../../dingtalk/binding/binding-store';
import { bindingProfile, changedProfileFields, newUserFromMember } from '../../dingtalk/profile';
import type { CorpMemberRow } from '../../elements/corps/models/OrgModel/OrgModel';
import { diffMember, type MemberState } from '../../elements/corps/sync/member-diff';
import type { MemberBinding } from '../../elements/corps/sync/hooks';

const CORP = 'corps.orgCorp';
const LOGIN = 'auths.loginTypes.orgLogin';
/** The DingTalk corp's profile rules (DDInnerCorpType's), without an app. */
const hooks = {
  bindingChanges(member: DDMember, binding: MemberBinding) {
    const profile = bindingProfile(member);
    const changed = changedProfileFields(binding as DDBindingRow, profile);
    return changed.length > 0 ? { changes: changed.map((f) => `binding.${f}`), patch: profile } : null;
  },
  userFields(member: DDMember, user: LocalUser | null) {
    const wanted = newUserFromMember(member, user?.username ?? member.userid, user?.source ?? `sync:${CORP}`);
    return { displayName: wanted.displayName, phone: wanted.phone ?? null, email: wanted.email ?? null, employeeNo: wanted.employeeNo ?? null };
  },
  ownsProfileOf: (user: LocalUser) => [`sync:${CORP}`, `sync:${LOGIN}`, `login:${LOGIN}`].includes(user.source),
};

const member: DDMember = {
  userid: 'zhangsan',
  unionid: 'union-zhangsan',
  name: '张三',
  mobile: '13800138000',
  email: 'zhangsan@corp.example.com',
  job_number: 'E001',
  hired_date: Date.UTC(2020, 0, 1),
  dept_id_list: [2, 3],
};
const binding: DDBindingRow = {
  id: 'b1', userId: 'u1', thirdCorpId: 'dingcorp', thirdUserId: 'zhangsan', unionId: 'union-zhangsan', jobNumber: 'E001',
  phone: '13800138000', email: 'zhangsan@corp.example.com', hiredDate: new Date(Date.UTC(2020, 0, 1)), photo: null, createTime: new Date(), leftAt: null,
};
const user = (patch: Partial<LocalUser> = {}): LocalUser => ({
  id: 'u1', username: 'zhangsan', displayName: '张三', phone: '13800138000', email: 'zhangsan@corp.example.com', employeeNo: 'E001',
  disabled: false, source: `sync:${CORP}`, createTime: new Date(), updateTime: new Date(), ...patch,
});
const membership = (patch: Partial<CorpMemberRow> = {}): CorpMemberRow => ({
  id: 'm1', corpFullName: CORP, userid: 'zhangsan', unionId: 'union-zhangsan', name: '张三', status: 'active', localUserId: 'u1', bindingId: 'b1',
  leftAt: null, disabledUserId: null, lastRunId: 'r0', changedAt: new Date(), createTime: new Date(), updateTime: new Date(), ...patch,
});
const state = (patch: Partial<MemberState> = {}): MemberState => ({ binding, user: user(), membership: membership(), deptIds: new Set([2, 3]), ...patch });
const listed = (patch: Partial<DDMember> = {}, deptIds = [2, 3], partial = false) => ({ member: { ...member, ...patch }, deptIds, partial });

describe('diffMember', () => {
  it('finds nothing to write when the rows already say what DingTalk says', () => {
    expect(diffMember(hooks, listed(), state())).toEqual({ changes: [] });
    // Users' phones are stored normalised, bindings keep DingTalk's text: "+86 138-0013-8000" is no change.
    const written = '+86 138-0013-8000';
    expect(diffMember(hooks, listed({ mobile: written }), state({ binding: { ...binding, phone: written } as DDBindingRow })).changes).toEqual([]);
  });

  it('refreshes the binding profile, and the user only when this corp (or its login) created it', () => {
    const moved = listed({ mobile: '13900139000', name: '张三丰' });
    expect(diffMember(hooks, moved, state()).changes).toEqual(['binding.phone', 'user.displayName', 'user.phone', 'member.name']);
    expect(diffMember(hooks, moved, state({ user: user({ source: `login:${LOGIN}` }) })).changes).toContain('user.phone');
    const preExisting = state({ user: user({ source: 'cli', displayName: 'Zhang San (local)' }) });
    const diff = diffMember(hooks, moved, preExisting);
    expect(diff.changes).toEqual(['binding.phone', 'member.name']);
    expect(diff.userPatch).toBeUndefined();
  });

  it('brings a returning member back: the same membership, binding and (when this corp disabled it) user', () => {
    const left = membership({ status: 'left', leftAt: new Date(), disabledUserId: 'u1' });
    const returning = diffMember(hooks, listed(), state({ binding: { ...binding, leftAt: new Date() }, user: user({ disabled: true }), membership: left }));
    expect(returning.userPatch).toEqual({ disabled: false });
    expect(returning.restoreBinding).toBe(true);
    expect(returning.changes).toEqual(['binding.restored', 'user.enabled', 'member.returned']);
    expect(returning.memberFields).toMatchObject({ status: 'active', leftAt: null, disabledUserId: null });
    // An account an administrator disabled stays disabled, even for a pre-existing account of ours.
    const disabledByAdmin = diffMember(hooks, listed(), state({ user: user({ disabled: true }) }));
    expect(disabledByAdmin.changes).toEqual([]);
  });

  it('replaces department links after a complete walk, only adds them after a partial one', () => {
    expect(diffMember(hooks, listed({}, [3, 4]), state()).deptIds).toEqual([3, 4]);
    expect(diffMember(hooks, listed({}, [3, 4], true), state()).deptIds).toEqual([2, 3, 4]);
    expect(diffMember(hooks, listed({}, [3], true), state()).changes).toEqual([]);
  });

  it('adds the membership of a member seen for the first time (a login-only member, or an unbound one)', () => {
    expect(diffMember(hooks, listed(), state({ membership: null, deptIds: new Set() })).changes).toEqual(['member.added', 'departments']);
    expect(diffMember(hooks, listed(), { binding: null, user: null, membership: null, deptIds: new Set() }).changes).toEqual(['member.added', 'departments']);
  });

  it('records which user the membership is bound through when a login bound it since', () => {
    const unboundRow = membership({ localUserId: null, bindingId: null });
    expect(diffMember(hooks, listed(), state({ membership: unboundRow })).changes).toEqual(['member.binding']);
  });
});
