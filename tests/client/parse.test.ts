/**
 * Lenient parsing of DingTalk bodies (client/parse.ts): the docs' samples send numbers, booleans and
 * arrays as strings and lists as single objects (docs/dingtalk-facts.md §5, §11.6); both forms must read the same.
 */
import { parseDepartments, parseMember, parseMemberPage, parseUserToken, parseWorkbenchUserInfo, UnexpectedBody } from '../../dingtalk/client/parse';

describe('parse: typed and stringified bodies read alike', () => {
  const typed = {
    errcode: 0,
    result: {
      userid: 'u1', unionid: 'un1', name: 'Zhang San', hired_date: 1597573616828, active: true, admin: false,
      dept_id_list: [2, 3, 4], mobile: '13800000000',
    },
  };
  const stringified = {
    errcode: '0',
    result: {
      userid: 'u1', unionid: 'un1', name: 'Zhang San', hired_date: '1597573616828', active: 'true', admin: 'false',
      dept_id_list: '[2,3,4]', mobile: '13800000000',
    },
  };

  test('a member record', () => {
    const expected = {
      userid: 'u1', unionid: 'un1', name: 'Zhang San', hired_date: 1597573616828, active: true, admin: false,
      dept_id_list: [2, 3, 4], mobile: '13800000000',
    };
    expect(parseMember(typed)).toEqual(expected);
    expect(parseMember(stringified)).toEqual(expected);
  });

  test('optional fields DingTalk omits stay omitted (no undefined, no null)', () => {
    const member = parseMember({ result: { userid: 'u1', unionid: 'un1', name: 'N', email: '' } });
    expect(Object.keys(member).sort()).toEqual(['name', 'unionid', 'userid']);
  });

  test('a member page: has_more as a string, the list as a single object, next_cursor only when there is more', () => {
    const page = parseMemberPage({ result: { has_more: 'true', next_cursor: '100', list: { userid: 'u1', unionid: 'un1', name: 'A' } } });
    expect(page).toEqual({ has_more: true, next_cursor: 100, list: [{ userid: 'u1', unionid: 'un1', name: 'A' }] });
    const last = parseMemberPage({ result: { has_more: false, next_cursor: 200, list: [] } });
    expect(last).toEqual({ has_more: false, list: [] });
  });

  test('a page that says it has more but gives no cursor is refused, not looped on', () => {
    expect(() => parseMemberPage({ result: { has_more: true, list: [] } })).toThrow(UnexpectedBody);
  });

  test('departments with numeric ids as strings; a leaf without result is an empty list', () => {
    expect(parseDepartments({ result: [{ dept_id: '2', name: 'R&D', parent_id: '1' }] })).toEqual([{ dept_id: 2, name: 'R&D', parent_id: 1 }]);
    expect(parseDepartments({ errcode: 0 })).toEqual([]);
  });

  test('workbench user info: booleans and numbers as strings', () => {
    expect(parseWorkbenchUserInfo({ result: { userid: 'u1', unionid: 'un1', name: 'A', sys: 'true', sys_level: '1', associated_unionid: '' } }))
      .toEqual({ userid: 'u1', unionid: 'un1', name: 'A', sys: true, sys_level: 1 });
  });

  test('identity fields are required: their absence names the field', () => {
    expect(() => parseMember({ result: { name: 'no id' } })).toThrow(/result\.userid/);
    expect(() => parseUserToken({ refreshToken: 'r' })).toThrow(/accessToken/);
  });
});
