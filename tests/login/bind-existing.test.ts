/**
 * whenNotAssociated: bindExisting, the whole path: BIND_REQUIRED with a single-use ticket, then
 * completeBinding with a password or with a phone + verification code, on SQLite and PostgreSQL.
 * Also the PasswordType login, the second factor's own front door.
 */
import type { BindRequiredResult } from '../../runtime';
import type { PasswordType } from '../../elements/auths/loginTypes/PasswordType/PasswordType';
import { IsNull } from 'typeorm';
import { TicketEntity } from '../../runtime/db/core-models';
import { CORP_A, simMember } from '../helpers/demo-org';
import { useLoginApp } from '../helpers/login-app';
import { qrLogin, workbenchLogin, completeAsHolder, ticketOf, codesSent, errorCode, countRows } from '../helpers/login-steps';
import { useSimulator } from '../helpers/simulator';
import { describeEachDatabase } from '../helpers/each-database';

const sim = useSimulator();

describeEachDatabase('bindExisting', (db) => {
  const env = useLoginApp({ sim, app: 'bind-existing', database: db });
  beforeAll(async () => {
    await env.app.users.create({ username: 'zhang.local', password: 'correct horse 1', phone: '13700000001' });
    await env.app.users.create({ username: 'li.local', password: 'another secret 2', phone: '13700000002' });
    await env.app.users.create({ username: 'wang.local', password: 'third secret 3' });
    await env.app.users.create({ username: 'twin.one', phone: '13700000009' });
    await env.app.users.create({ username: 'twin.two', phone: '13700000009' });
  });
  /** These tests are not about back-off: each starts with clean counters. */
  beforeEach(() => env.app.db.run((m) => m.clear('failure_counters')));
  const complete = (required: BindRequiredResult, proof: unknown) => completeAsHolder(env, required, proof);

  test('password proof: BIND_REQUIRED, wrong proofs refused alike, the right one binds; the ticket is single use', async () => {
    const required = ticketOf(await workbenchLogin(env, sim, 'zhangsan'));
    const zhangsan = simMember(sim, CORP_A.corpId, 'zhangsan');
    expect(required).toEqual({
      success: false,
      status: 'BIND_REQUIRED',
      bindTicket: expect.any(String),
      expiresAt: expect.any(String),
      // The bind form names the DingTalk account being linked (display-safe: no phone, no email).
      member: { name: zhangsan.name, avatar: zhangsan.avatar ?? null, corpId: CORP_A.corpId, corpName: null },
      // A library call has no browser key: the ticket is bound to a key handed back with it.
      clientKey: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    const minutes = (new Date(required.expiresAt).getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(9);
    expect(minutes).toBeLessThanOrEqual(10);
    expect(await countRows(env.app, 'dd_inner_auth')).toBe(0);

    const wrongPassword = await complete(required, { username: 'zhang.local', password: 'nope' }).catch((e) => e);
    const unknownUser = await complete(required, { username: 'nobody', password: 'nope' }).catch((e) => e);
    expect(wrongPassword.code).toBe('CREDENTIALS_INVALID');
    // Whether the username exists is not told.
    expect(unknownUser.code).toBe('CREDENTIALS_INVALID');
    expect(unknownUser.message).toBe(wrongPassword.message);

    const local = (await env.app.users.findByUsername('zhang.local'))!;
    const done = await complete(required, { username: 'zhang.local', password: 'correct horse 1' });
    expect(done).toMatchObject({ success: true, status: 'LOGGED_IN', binding: 'existing', userId: local.id, dingtalk: { corpId: CORP_A.corpId, userId: 'zhangsan' } });
    if (done.status === 'LOGGED_IN') expect((await env.app.sessions.verify(done.token))?.userId).toBe(local.id);
    const [binding] = await env.model.findByUserId(local.id, CORP_A.corpId);
    expect(binding).toMatchObject({ thirdUserId: 'zhangsan', jobNumber: 'A0001', phone: '13800138001' });

    expect(await errorCode(complete(required, { username: 'zhang.local', password: 'correct horse 1' }))).toBe('BIND_TICKET_INVALID');
    // From now on the member logs straight in, by either flow.
    expect(await workbenchLogin(env, sim, 'zhangsan')).toMatchObject({ status: 'LOGGED_IN', binding: 'existing', userId: local.id });
    expect(await qrLogin(env.auth(), sim, simMember(sim, CORP_A.corpId, 'zhangsan').unionid)).toMatchObject({ status: 'LOGGED_IN', userId: local.id });
  });

  test('phone proof: CODE_SENT (the code goes through the sender), a wrong code is refused, the right one binds', async () => {
    const required = ticketOf(await qrLogin(env.auth(), sim, simMember(sim, CORP_A.corpId, 'lisi').unionid));
    const sent = await complete(required, { phone: '137 0000 0002' });
    expect(sent).toEqual({ success: false, status: 'CODE_SENT', expiresAt: required.expiresAt });
    expect(await codesSent(env, 1)).toHaveLength(1);
    const [{ code, phone, instance }] = env.sentCodes.splice(0);
    expect(phone).toBe('137 0000 0002');
    expect(instance).toBe('auths.loginTypes.acmeLogin');
    expect(code).toMatch(/^\d{6}$/);

    const wrong = code === '000000' ? '111111' : '000000';
    expect(await errorCode(complete(required, { phone: '13700000002', verificationCode: wrong }))).toBe('CREDENTIALS_INVALID');
    // The right code for another phone proves nothing.
    expect(await errorCode(complete(required, { phone: '13700000001', verificationCode: code }))).toBe('CREDENTIALS_INVALID');

    const local = (await env.app.users.findByUsername('li.local'))!;
    const done = await complete(required, { phone: '+86 13700000002', verificationCode: code });
    expect(done).toMatchObject({ status: 'LOGGED_IN', binding: 'existing', userId: local.id, dingtalk: { userId: 'lisi' } });
    expect(await errorCode(complete(required, { phone: '13700000002', verificationCode: code }))).toBe('BIND_TICKET_INVALID');
  });

  test('a phone no single local user has: CODE_SENT all the same, but nothing is sent and no code can prove it', async () => {
    const required = ticketOf(await workbenchLogin(env, sim, 'wangwu'));
    expect(await complete(required, { phone: '13100000000' })).toMatchObject({ status: 'CODE_SENT' });
    expect(await complete(required, { phone: '13700000009' })).toMatchObject({ status: 'CODE_SENT' });
    expect(env.sentCodes).toHaveLength(0);
  });

  test('proof attempts are capped: after five failures the ticket is burnt, even for the right password', async () => {
    const required = ticketOf(await workbenchLogin(env, sim, 'wangwu'));
    // Spread over two usernames, so the account's own back-off (tests/security/brute-force) stays out of it.
    for (let attempt = 1; attempt <= 5; attempt++) {
      const username = attempt <= 3 ? 'wang.local' : 'ghost.local';
      expect(await errorCode(complete(required, { username, password: `guess ${attempt}` }))).toBe('CREDENTIALS_INVALID');
    }
    expect(await errorCode(complete(required, { username: 'wang.local', password: 'third secret 3' }))).toBe('BIND_TICKET_INVALID');
    expect(await env.model.findByMember(CORP_A.corpId, 'wangwu')).toBeNull();
  });

  test('BIND_TICKET_INVALID for an unknown or malformed ticket; BAD_REQUEST for a proof of neither kind', async () => {
    expect(await errorCode(env.svc.completeBinding('not-a-ticket', { username: 'wang.local', password: 'third secret 3' }))).toBe('BIND_TICKET_INVALID');
    expect(await errorCode(env.svc.completeBinding('', { username: 'wang.local', password: 'x' }))).toBe('BIND_TICKET_INVALID');
    const required = ticketOf(await workbenchLogin(env, sim, 'zhaoliu'));
    expect(await errorCode(complete(required, { token: 'x' } as never))).toBe('BAD_REQUEST');
  });

  test('BIND_TICKET_INVALID for an expired ticket (10 minutes), whatever the proof', async () => {
    const required = ticketOf(await workbenchLogin(env, sim, 'wangfang01'));
    // Age the ticket in the database itself, as ten minutes would.
    const tickets = env.app.db.dataSource.getRepository(TicketEntity);
    await tickets.update({ kind: 'dd-bind', usedAt: IsNull() }, { expiresAt: new Date(Date.now() - 1000) });
    expect(await errorCode(complete(required, { username: 'wang.local', password: 'third secret 3' }))).toBe('BIND_TICKET_INVALID');
    expect(await errorCode(complete(required, { phone: '13700000002' }))).toBe('BIND_TICKET_INVALID');
    expect(await env.model.findByMember(CORP_A.corpId, 'wangfang01')).toBeNull();
  });

  test('an account already bound to another member of the corp cannot be bound again, answered like a wrong password; the ticket stays usable', async () => {
    const required = ticketOf(await workbenchLogin(env, sim, 'zhaoliu'));
    // Not BINDING_REJECTED: a different answer after the right password would confirm the password.
    const taken = await complete(required, { username: 'zhang.local', password: 'correct horse 1' }).catch((e) => e);
    const wrong = await complete(required, { username: 'zhang.local', password: 'a wrong one' }).catch((e) => e);
    expect(taken.code).toBe('CREDENTIALS_INVALID');
    expect(taken.message).toBe(wrong.message);
    const wang = (await env.app.users.findByUsername('wang.local'))!;
    expect(await complete(required, { username: 'wang.local', password: 'third secret 3' })).toMatchObject({
      status: 'LOGGED_IN', userId: wang.id, dingtalk: { userId: 'zhaoliu' },
    });
  });

  test('PasswordType: a local login opens a session; wrong or unknown credentials are CREDENTIALS_INVALID', async () => {
    const passwords = env.app.getElement<PasswordType>('auths.loginTypes.PasswordType');
    const result = await passwords.login('li.local', 'another secret 2');
    expect(result).toMatchObject({ success: true, status: 'LOGGED_IN', user: { username: 'li.local' } });
    expect(result).not.toHaveProperty('binding');
    expect(result.user).not.toHaveProperty('passwordHash');
    expect((await env.app.sessions.verify(result.token))?.userId).toBe(result.userId);
    expect(await errorCode(passwords.login('li.local', 'wrong'))).toBe('CREDENTIALS_INVALID');
    expect(await errorCode(passwords.login('ghost', 'wrong'))).toBe('CREDENTIALS_INVALID');
  });
});

describeEachDatabase('bindExisting with the default verification sender', (db) => {
  const env = useLoginApp({ sim, app: 'bind-existing', database: db, codes: 'development-sender' });
  beforeAll(async () => {
    await env.app.users.create({ username: 'chen.local', phone: '13700000007' });
  });

  test('under --sim and in tests (developmentSender), the code is written to the log, loudly labelled, where a developer can read it and finish the binding', async () => {
    const required = ticketOf(await workbenchLogin(env, sim, 'chenjing'));
    await completeAsHolder(env, required, { phone: '13700000007' });
    const codeLine = () => env.rawLogs.map((text) => JSON.parse(text)).find((record) => typeof record.code === 'string' && /^\d{6}$/.test(record.code));
    const deadline = Date.now() + 10_000;
    while (!codeLine() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    const line = codeLine();
    expect(line).toMatchObject({ level: 'warn', phone: '13700000007', instance: 'auths.loginTypes.acmeLogin' });
    expect(line.msg).toMatch(/DEVELOPMENT/);
    const done = await completeAsHolder(env, required, { phone: '13700000007', verificationCode: line.code });
    expect(done).toMatchObject({ status: 'LOGGED_IN', user: { username: 'chen.local' } });
  });
});
