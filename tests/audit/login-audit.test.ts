/**
 * Each audit event a login causes is written by the login itself, through the library against the
 * DingTalk simulator (real HTTP) on SQLite and PostgreSQL: login.succeeded and login.failed (a flood
 * of failures from one address folds into one row), user.created and binding.created on a first
 * login, binding.updated when DingTalk changed the member's profile, password logins, and nothing
 * for a first login whose transaction rolled back after its events were recorded.
 */
import type { AuditEvent, AuditFilter } from '../../runtime/audit';
import { withRequestContext } from '../../runtime/request-context';
import type { PasswordType } from '../../elements/auths/loginTypes/PasswordType/PasswordType';
import { CORP_A, simMember } from '../helpers/demo-org';
import { ACME_LOGIN, useLoginApp, type LoginApp } from '../helpers/login-app';
import { workbenchLogin, errorCode } from '../helpers/login-steps';
import { useSimulator } from '../helpers/simulator';
import { describeEachDatabase } from '../helpers/each-database';

const PASSWORD_TYPE = 'auths.loginTypes.PasswordType';

const sim = useSimulator();

async function eventsOf(env: LoginApp, filter: AuditFilter = {}): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for await (const event of env.app.audit.export(filter)) events.push(event);
  return events;
}

describeEachDatabase('audit events of logins', (db) => {
  const env = useLoginApp({ sim, app: 'create-user', database: db });

  test('a first login records user.created, binding.created and login.succeeded: who, where from, in one request', async () => {
    const context = { clientAddress: '203.0.113.10', userAgent: 'Mozilla/5.0 DingTalk/7.0', requestId: 'req-first-login' };
    const login = await withRequestContext(context, () => workbenchLogin(env, sim, 'zhangsan'));
    expect(login).toMatchObject({ status: 'LOGGED_IN', binding: 'created' });

    const events = await eventsOf(env, { user: 'zhangsan' });
    expect(events.map((e) => e.type)).toEqual(['user.created', 'binding.created', 'login.succeeded']);
    const who = { instance: ACME_LOGIN, corpId: CORP_A.corpId, memberId: 'zhangsan', userId: login.status === 'LOGGED_IN' ? login.userId : '', ...context, outcome: 'ok', count: 1 };
    for (const event of events) expect(event).toMatchObject(who);
    const [created, bound, loggedIn] = events;
    expect(created.details).toEqual({ username: 'zhangsan', source: `login:${ACME_LOGIN}` });
    expect(bound.details).toEqual({ bindingId: expect.any(String), binding: 'created' });
    expect(bound.unionId).toBe(simMember(sim, CORP_A.corpId, 'zhangsan').unionid);
    expect(loggedIn.details).toEqual({ flow: 'workbench', platform: 'mobile', binding: 'created' });
  });

  test('autoBind records binding.created (autoBound) and no user.created', async () => {
    const local = await env.app.users.create({ username: 'li.local', phone: simMember(sim, CORP_A.corpId, 'lisi').mobile });
    await workbenchLogin(env, sim, 'lisi');
    const events = await eventsOf(env, { user: local.id });
    expect(events.map((e) => [e.type, e.details?.binding])).toEqual([
      ['binding.created', 'autoBound'],
      ['login.succeeded', 'autoBound'],
    ]);
  });

  test('a returning member whose DingTalk profile changed records binding.updated with the fields, once', async () => {
    const member = simMember(sim, CORP_A.corpId, 'zhangsan');
    const email = member.email;
    member.email = `changed.${db.kind}@acme.example.com`;
    try {
      await workbenchLogin(env, sim, 'zhangsan');
      await workbenchLogin(env, sim, 'zhangsan');
    } finally {
      member.email = email;
    }
    const updated = await eventsOf(env, { user: 'zhangsan', type: 'binding.updated' });
    expect(updated).toHaveLength(1);
    expect(updated[0]).toMatchObject({ instance: ACME_LOGIN, details: { bindingId: expect.any(String), fields: ['email'] } });
  });

  test('failed logins record login.failed with the code; 100 from one address fold into one row of count 100', async () => {
    const auth = env.auth();
    const forged = () => auth.getLoginCode({ code: sim.mintQrCode(CORP_A.appKey, simMember(sim, CORP_A.corpId, 'wangwu').unionid), loginType: 'qr', platform: 'web', state: 'forged.state' });
    const codes = await withRequestContext({ clientAddress: '198.51.100.66', userAgent: 'spray/1.0' }, () => Promise.all(Array.from({ length: 100 }, () => errorCode(forged()))));
    expect(new Set(codes)).toEqual(new Set(['STATE_INVALID']));

    const replayed = sim.mintWorkbenchCode(CORP_A.corpId, 'wangwu');
    await withRequestContext({ clientAddress: '198.51.100.67' }, async () => {
      await env.svc.loginByWorkbench(CORP_A.corpId, replayed, 'mobile');
      expect(await errorCode(env.svc.loginByWorkbench(CORP_A.corpId, replayed, 'mobile'))).toBe('AUTH_CODE_INVALID');
    });

    const failed = await eventsOf(env, { type: 'login.failed' });
    expect(failed.map((e) => [e.outcome, e.clientAddress, e.count])).toEqual([
      ['STATE_INVALID', '198.51.100.66', 100],
      ['AUTH_CODE_INVALID', '198.51.100.67', 1],
    ]);
    expect(failed[0]).toMatchObject({ instance: ACME_LOGIN, userAgent: 'spray/1.0', details: { flow: 'qr', platform: 'web' } });
  });

  test('password logins record login.succeeded and login.failed', async () => {
    const user = await env.app.users.create({ username: 'pat', password: 'pat-pass-1' });
    const passwords = env.app.getElement<PasswordType>(PASSWORD_TYPE);
    await withRequestContext({ clientAddress: '192.0.2.20' }, async () => {
      await passwords.login('pat', 'pat-pass-1');
      expect(await errorCode(passwords.login('pat', 'wrong-pass'))).toBe('CREDENTIALS_INVALID');
    });
    const events = await eventsOf(env, { instance: PASSWORD_TYPE });
    expect(events.map((e) => [e.type, e.outcome, e.userId, e.clientAddress])).toEqual([
      ['login.succeeded', 'ok', user.id, '192.0.2.20'],
      ['login.failed', 'CREDENTIALS_INVALID', null, '192.0.2.20'],
    ]);
  });

  test('a first login that rolls back after its events were recorded leaves none of them', async () => {
    // The binding insert fails after the user was created and user.created recorded in the same transaction.
    const insert = jest.spyOn(env.model, 'insert').mockRejectedValueOnce(new Error('disk full'));
    try {
      expect(await errorCode(workbenchLogin(env, sim, 'wangfang01'))).toBe('not a JitError: Error: disk full');
    } finally {
      insert.mockRestore();
    }
    expect(await env.app.users.findByUsername('wangfang01')).toBeNull();
    expect((await eventsOf(env, { user: 'wangfang01' })).map((e) => [e.type, e.outcome])).toEqual([['login.failed', 'INTERNAL_ERROR']]);

    await workbenchLogin(env, sim, 'wangfang01');
    expect((await eventsOf(env, { user: 'wangfang01' })).map((e) => e.type)).toEqual(['login.failed', 'user.created', 'binding.created', 'login.succeeded']);
  });

  test('racing first logins of one member: one user, one binding, and one user.created and binding.created', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => workbenchLogin(env, sim, 'chenjing')));
    expect(new Set(results.map((r) => (r.status === 'LOGGED_IN' ? r.userId : r.status))).size).toBe(1);
    const events = await eventsOf(env, { user: 'chenjing' });
    expect(events.filter((e) => e.type === 'user.created')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'binding.created')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'login.succeeded')).toHaveLength(8);
  });
});
