/**
 * First and returning DingTalk logins through the library, against the simulator over real HTTP, on a
 * real SQLite file and a real PostgreSQL database: the createUser / autoBind / reject policies,
 * convergence of the QR and workbench flows, profile refresh, unbind then log in again.
 */
import { CORP_A, simMember } from '../helpers/demo-org';
import { ACME_LOGIN, useLoginApp } from '../helpers/login-app';
import { qrLogin, workbenchLogin, errorCode, countRows } from '../helpers/login-steps';
import { useSimulator } from '../helpers/simulator';
import { describeEachDatabase } from '../helpers/each-database';

// Needs no throttle: tests first logins, dozens in quick succession on both databases, not DingTalk's limit.
const sim = useSimulator({ qps: 'off' });

const member = (userid: string) => simMember(sim, CORP_A.corpId, userid);

describeEachDatabase('createUser with autoBind rules', (db) => {
  const env = useLoginApp({ sim, app: 'create-user', database: db });

  test('a first workbench login creates a local user from the member record and opens a session', async () => {
    const result = await workbenchLogin(env, sim, 'zhangsan');
    if (result.status !== 'LOGGED_IN') throw new Error(`expected LOGGED_IN, got ${result.status}`);
    expect(result).toMatchObject({
      success: true,
      binding: 'created',
      dingtalk: { corpId: CORP_A.corpId, userId: 'zhangsan', unionId: 'HdaeyQl62PbUM9biY2EWa5iE' },
      user: { username: 'zhangsan', displayName: '张三', phone: '13800138001', email: 'zhang.san@acme.example.com', employeeNo: 'A0001', source: `login:${ACME_LOGIN}` },
    });
    expect(result.userId).toBe(result.user.id);
    expect(result.user).not.toHaveProperty('passwordHash');
    expect(new Date(result.expiresAt).getTime()).toBeGreaterThan(Date.now());
    // The token is a live session of that user.
    expect((await env.app.sessions.verify(result.token))?.userId).toBe(result.userId);

    const [binding] = await env.model.findByUserId(result.userId, CORP_A.corpId);
    expect(binding).toMatchObject({
      thirdCorpId: CORP_A.corpId, thirdUserId: 'zhangsan', unionId: 'HdaeyQl62PbUM9biY2EWa5iE', jobNumber: 'A0001', phone: '13800138001', email: 'zhang.san@acme.example.com',
    });
    expect(new Date(binding.hiredDate!).getTime()).toBe(1456794000000);
  });

  test('a returning login (QR this time) finds the binding: same user, no new rows', async () => {
    const users = await countRows(env.app, 'users');
    const result = await qrLogin(env.auth(), sim, member('zhangsan').unionid, { corpId: CORP_A.corpId });
    expect(result).toMatchObject({ status: 'LOGGED_IN', binding: 'existing', user: { username: 'zhangsan' } });
    expect(await countRows(env.app, 'users')).toBe(users);
    expect(await countRows(env.app, 'dd_inner_auth', { column: 'thirdUserId', value: 'zhangsan' })).toBe(1);
  });

  test('QR first, then the workbench: one binding, one local user, profile from the member record (never the /me email)', async () => {
    const viaQr = await qrLogin(env.auth(), sim, member('alice.chen').unionid, { corpId: CORP_A.corpId });
    const viaWorkbench = await workbenchLogin(env, sim, 'alice.chen');
    expect(viaQr).toMatchObject({ status: 'LOGGED_IN', binding: 'created' });
    expect(viaWorkbench).toMatchObject({ status: 'LOGGED_IN', binding: 'existing' });
    if (viaQr.status !== 'LOGGED_IN' || viaWorkbench.status !== 'LOGGED_IN') return;
    expect(viaWorkbench.userId).toBe(viaQr.userId);
    expect(viaQr.dingtalk).toEqual(viaWorkbench.dingtalk);
    expect(await countRows(env.app, 'dd_inner_auth', { column: 'thirdUserId', value: 'alice.chen' })).toBe(1);
    expect(await countRows(env.app, 'users', { column: 'username', value: 'alice.chen' })).toBe(1);

    // The simulator's /me answers with her personal mailbox; only the corp's record may be used.
    expect(viaQr.user.email).toBe('alice.chen@acme.example.com');
    const [binding] = await env.model.findByUserId(viaQr.userId);
    expect(binding.email).toBe('alice.chen@acme.example.com');
    const stored = JSON.stringify([await env.app.users.list(), await env.model.list()]);
    expect(stored).not.toContain('alice.c@personal.example.net');
  });

  test('autoBind by mobile: a local user with the member\'s phone (written differently) is bound, not duplicated', async () => {
    const local = await env.app.users.create({ username: 'li.si', displayName: 'Li Si (HR record)', phone: '+86 138-0013-8002' });
    const result = await workbenchLogin(env, sim, 'lisi');
    expect(result).toMatchObject({ status: 'LOGGED_IN', binding: 'autoBound', userId: local.id, user: { username: 'li.si' } });
    expect(await countRows(env.app, 'users', { column: 'username', value: 'lisi' })).toBe(0);
    const again = await qrLogin(env.auth(), sim, member('lisi').unionid, { corpId: CORP_A.corpId });
    expect(again).toMatchObject({ status: 'LOGGED_IN', binding: 'existing', userId: local.id });
  });

  test('autoBind by job_number when no phone matches: the rules are tried in order', async () => {
    const local = await env.app.users.create({ username: 'w.wu', employeeNo: 'A0003', phone: '13999999999' });
    const result = await workbenchLogin(env, sim, 'wangwu');
    expect(result).toMatchObject({ status: 'LOGGED_IN', binding: 'autoBound', userId: local.id });
  });

  test('AMBIGUOUS_MATCH: two local users with the phone; nobody is guessed and nothing is written', async () => {
    await env.app.users.create({ username: 'zl.one', phone: '13800138004' });
    await env.app.users.create({ username: 'zl.two', phone: '13800138004' });
    const users = await countRows(env.app, 'users');
    const error = await workbenchLogin(env, sim, 'zhaoliu').catch((err) => err);
    expect(error.code).toBe('AMBIGUOUS_MATCH');
    expect(error.message).toContain('binding.match[0] (mobile -> phone)');
    expect(error.details).toMatchObject({ rule: 0, candidates: 2 });
    expect(await countRows(env.app, 'users')).toBe(users);
    expect(await countRows(env.app, 'dd_inner_auth', { column: 'thirdUserId', value: 'zhaoliu' })).toBe(0);
  });

  test('a local user already bound to another member of the corp is not an autoBind candidate', async () => {
    // zhangsan's user has zhangsan's phone; give it wangfang01's job number too: still not hers to take.
    const [zhangsan] = await env.model.findByUserId((await env.app.users.findByUsername('zhangsan'))!.id);
    await env.app.users.update(zhangsan.userId, { employeeNo: 'A0008' });
    await env.app.users.create({ username: 'wangfang01' }); // a different person holding the derived username
    const result = await workbenchLogin(env, sim, 'wangfang01');
    expect(result).toMatchObject({ status: 'LOGGED_IN', binding: 'created', user: { username: 'wangfang01-2', displayName: '王芳' } });
    if (result.status === 'LOGGED_IN') expect(result.userId).not.toBe(zhangsan.userId);
  });

  test('every login refreshes the binding\'s profile fields from the member record', async () => {
    const first = await workbenchLogin(env, sim, 'chenjing');
    if (first.status !== 'LOGGED_IN') throw new Error('expected LOGGED_IN');
    const live = member('chenjing');
    const original = { mobile: live.mobile, job_number: live.job_number, email: live.email, avatar: live.avatar };
    try {
      // Change the member in DingTalk between two logins.
      sim.updateMember(CORP_A.corpId, 'chenjing', { mobile: '13811112222', job_number: 'A0707', email: 'jing.chen@acme.example.com', avatar: 'https://static.example.com/chenjing.png' });
      const second = await qrLogin(env.auth(), sim, live.unionid, { corpId: CORP_A.corpId });
      expect(second).toMatchObject({ status: 'LOGGED_IN', binding: 'existing', userId: first.userId });
      const [binding] = await env.model.findByUserId(first.userId, CORP_A.corpId);
      expect(binding).toMatchObject({ phone: '13811112222', jobNumber: 'A0707', email: 'jing.chen@acme.example.com', photo: 'https://static.example.com/chenjing.png' });
    } finally {
      sim.updateMember(CORP_A.corpId, 'chenjing', original);
    }
  });

  test('unbind, then log in again: the policy runs again (autoBind finds the same local user by phone)', async () => {
    const first = await workbenchLogin(env, sim, 'bob.li');
    if (first.status !== 'LOGGED_IN') throw new Error('expected LOGGED_IN');
    const [binding] = await env.model.findByUserId(first.userId, CORP_A.corpId);
    expect(await env.model.remove(binding.id)).toBe(true);
    expect(await env.model.findByMember(CORP_A.corpId, 'bob.li')).toBeNull();

    const again = await workbenchLogin(env, sim, 'bob.li');
    expect(again).toMatchObject({ status: 'LOGGED_IN', binding: 'autoBound', userId: first.userId });
    expect(await countRows(env.app, 'dd_inner_auth', { column: 'thirdUserId', value: 'bob.li' })).toBe(1);
    expect(await countRows(env.app, 'users', { column: 'displayName', value: 'Bob Li' })).toBe(1);
  });

  test('a disabled local user cannot log in (USER_DISABLED), and no session is opened', async () => {
    const result = await workbenchLogin(env, sim, 'wangfang02');
    if (result.status !== 'LOGGED_IN') throw new Error('expected LOGGED_IN');
    await env.app.users.update(result.userId, { disabled: true });
    const sessions = await countRows(env.app, 'sessions');
    expect(await errorCode(workbenchLogin(env, sim, 'wangfang02'))).toBe('USER_DISABLED');
    expect(await countRows(env.app, 'sessions')).toBe(sessions);
  });

  test('the other corp\'s instance of the same app binds its own members', async () => {
    const result = await workbenchLogin(env, sim, 'sunqi', 'ding0a1b2c3d4e5f60718293a4b5c6d7e8f9');
    expect(result).toMatchObject({ status: 'LOGGED_IN', binding: 'created', dingtalk: { corpId: 'ding0a1b2c3d4e5f60718293a4b5c6d7e8f9', userId: 'sunqi' } });
  });
});

describeEachDatabase('reject', (db) => {
  const env = useLoginApp({ sim, app: 'reject', database: db });

  test('BINDING_REJECTED for a member no rule matches; no user or binding is created', async () => {
    expect(await errorCode(workbenchLogin(env, sim, 'lisi'))).toBe('BINDING_REJECTED');
    expect(await errorCode(qrLogin(env.auth(), sim, member('lisi').unionid))).toBe('BINDING_REJECTED');
    expect(await countRows(env.app, 'users')).toBe(0);
    expect(await countRows(env.app, 'dd_inner_auth')).toBe(0);
  });

  test('a member a rule matches still logs in (autoBind runs before the policy)', async () => {
    const local = await env.app.users.create({ username: 'zs', phone: '13800138001' });
    expect(await workbenchLogin(env, sim, 'zhangsan')).toMatchObject({ status: 'LOGGED_IN', binding: 'autoBound', userId: local.id });
  });
});
