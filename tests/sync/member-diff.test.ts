/**
 * The one comparison sync writes by (member-diff.ts): what counts as a change, and what never does.
 * Pure: a listed member against rows shaped as the database returns them.
 */
import type { LocalUser } from '../../runtime/auth/types';
import type { DDMember } from '../../dingtalk/client/types';
import type { DDInnerAuthRow } from '../../elements/auths/loginTypes/DDInnerType/DDInnerAuthModel/DDInnerAuthModel';
import type { DDOrgMemberRow } from '../../elements/corps/models/OrgModel/DDDepartmentModel';
import { diffMember, type MemberState } from '../../elements/corps/sync/member-diff';

const INSTANCE = 'auths.loginTypes.orgLogin';
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
const binding: DDInnerAuthRow = {
  id: 'b1', userId: 'u1', thirdCorpId: 'dingcorp', thirdUserId: 'zhangsan', unionId: 'union-zhangsan', jobNumber: 'E001',
  phone: '13800138000', email: 'zhangsan@corp.example.com', hiredDate: new Date(Date.UTC(2020, 0, 1)), photo: null, createTime: new Date(),
};
const user = (patch: Partial<LocalUser> = {}): LocalUser => ({
  id: 'u1', username: 'zhangsan', displayName: '张三', phone: '13800138000', email: 'zhangsan@corp.example.com', employeeNo: 'E001',
  disabled: false, source: `sync:${INSTANCE}`, createTime: new Date(), updateTime: new Date(), ...patch,
});
const orgRow = (patch: Partial<DDOrgMemberRow> = {}): DDOrgMemberRow => ({
  id: 'm1', corpId: 'dingcorp', userid: 'zhangsan', unionId: 'union-zhangsan', name: '张三', leftAt: null, disabledUserId: null,
  createTime: new Date(), updateTime: new Date(), ...patch,
});
const state = (patch: Partial<MemberState> = {}): MemberState => ({ binding, user: user(), orgRow: orgRow(), deptIds: new Set([2, 3]), ...patch });
const listed = (patch: Partial<DDMember> = {}, deptIds = [2, 3], partial = false) => ({ member: { ...member, ...patch }, deptIds, partial });

describe('diffMember', () => {
  it('finds nothing to write when the rows already say what DingTalk says', () => {
    expect(diffMember(INSTANCE, listed(), state())).toEqual({ changes: [] });
    // Users' phones are stored normalised, bindings keep DingTalk's text: "+86 138-0013-8000" is no change.
    const written = '+86 138-0013-8000';
    expect(diffMember(INSTANCE, listed({ mobile: written }), state({ binding: { ...binding, phone: written } })).changes).toEqual([]);
  });

  it('refreshes the binding profile, and the user only when this instance manages it', () => {
    const moved = listed({ mobile: '13900139000', name: '张三丰' });
    expect(diffMember(INSTANCE, moved, state()).changes).toEqual(['binding.phone', 'user.displayName', 'user.phone', 'member.name']);
    const preExisting = state({ user: user({ source: 'cli', displayName: 'Zhang San (local)' }) });
    const diff = diffMember(INSTANCE, moved, preExisting);
    expect(diff.changes).toEqual(['binding.phone', 'member.name']);
    expect(diff.userPatch).toBeUndefined();
  });

  it('re-enables a returning member only when sync disabled them', () => {
    const left = orgRow({ leftAt: new Date(), disabledUserId: 'u1' });
    const returning = diffMember(INSTANCE, listed(), state({ user: user({ disabled: true }), orgRow: left }));
    expect(returning.userPatch).toEqual({ disabled: false });
    expect(returning.changes).toEqual(['user.enabled', 'member.returned']);
    const disabledByAdmin = diffMember(INSTANCE, listed(), state({ user: user({ disabled: true }) }));
    expect(disabledByAdmin.changes).toEqual([]);
  });

  it('replaces department links after a complete walk, only adds them after a partial one', () => {
    expect(diffMember(INSTANCE, listed({}, [3, 4]), state()).deptIds).toEqual([3, 4]);
    expect(diffMember(INSTANCE, listed({}, [3, 4], true), state()).deptIds).toEqual([2, 3, 4]);
    expect(diffMember(INSTANCE, listed({}, [3], true), state()).changes).toEqual([]);
  });

  it('adds the org record of a member seen for the first time (a login-only member, or an unbound one)', () => {
    expect(diffMember(INSTANCE, listed(), state({ orgRow: null, deptIds: new Set() })).changes).toEqual(['member.added', 'departments']);
    expect(diffMember(INSTANCE, listed(), { binding: null, user: null, orgRow: null, deptIds: new Set() }).changes).toEqual(['member.added', 'departments']);
  });
});
