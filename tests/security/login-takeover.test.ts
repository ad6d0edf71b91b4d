/**
 * Issue #16's two live holes and issue #20's brute force, through the library on a real SQLite file
 * and a real PostgreSQL database against the DingTalk simulator. Each test plays the attack first,
 * then checks it is refused. A "browser" is a request context with its own browser key (the
 * HttpOnly cookie the host sets), as the host gives every request.
 *
 * - The lure: a member forwards their bind form to a colleague, who proves their own account.
 * - Login CSRF: a state issued to one browser is presented by another.
 * - Bind tickets per member; 15 guesses over 3 tickets against one account; no oracle after a right
 *   password; verification codes per phone and per member.
 */
import { randomBytes } from 'node:crypto';
import { withRequestContext } from '../../runtime/request-context';
import type { PasswordType } from '../../elements/auths/loginTypes/PasswordType/PasswordType';
import type { BindRequiredResult } from '../../runtime';
import { CORP_A, simMember } from '../helpers/demo-org';
import { useLoginApp } from '../helpers/login-app';
import { workbenchLogin, completeAsHolder, ticketOf, codesSent, failureOf, countRows } from '../helpers/login-steps';
import { useSimulator } from '../helpers/simulator';
import { describeEachDatabase } from '../helpers/each-database';

jest.setTimeout(60_000);

const sim = useSimulator();
beforeAll(() => {
  sim.updateMember(CORP_A.corpId, 'lisi', { avatar: 'https://static.dingtalk.example/avatar/lisi.png' });
});

/** A browser: its own browser key (and address), as the host sets them on every request it makes. */
function browser(address = `10.20.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`) {
  const browserKey = randomBytes(32).toString('base64url');
  return <T>(fn: () => T): T => withRequestContext({ browserKey, clientAddress: address, requestId: 'test' }, fn);
}

const PASSWORDS = { zhang: 'zhang-pass-1', li: 'li-pass-2', lisi: 'lisi-own-pass', off: 'off-pass-3', taken: 'taken-pass-4' };

describeEachDatabase('account takeover and brute force', (db) => {
  // Two apps, each on a database of its own of this kind.
  const env = useLoginApp(() => ({ sim, app: 'bind-existing', database: db.kind }));
  const provisioning = useLoginApp(() => ({ sim, app: 'create-user', database: db.kind }));
  let passwords: PasswordType;
  beforeAll(async () => {
    passwords = env.app.getElement<PasswordType>('auths.loginTypes.PasswordType');
    await env.app.users.create({ username: 'zhang.local', password: PASSWORDS.zhang, phone: '13700000001' });
    await env.app.users.create({ username: 'li.local', password: PASSWORDS.li, phone: '13700000002' });
    await env.app.users.create({ username: 'lisi.local', password: PASSWORDS.lisi });
    const off = await env.app.users.create({ username: 'off.local', password: PASSWORDS.off });
    await env.app.users.update(off.id, { disabled: true });
    await env.app.users.create({ username: 'taken.local', password: PASSWORDS.taken });
  });
  beforeEach(async () => {
    await env.app.db.run((m) => m.clear('failure_counters'));
    env.sentCodes.splice(0);
  });

  test('the lure: a bind ticket completed from another browser binds nothing, by password or by phone', async () => {
    const lisiBrowser = browser();
    const colleague = browser();
    const lisi = simMember(sim, CORP_A.corpId, 'lisi');

    // lisi signs in with DingTalk and is asked to prove a local account...
    const lure = ticketOf(await lisiBrowser(() => workbenchLogin(env, sim, 'lisi')));
    // ...and the form names the DingTalk account being linked; no key is handed back to a browser.
    expect(lure.member).toEqual({ name: lisi.name, avatar: 'https://static.dingtalk.example/avatar/lisi.png', corpId: CORP_A.corpId, corpName: null });
    expect(lure).not.toHaveProperty('clientKey');

    // He sends the form to a colleague, who types their own password into it: refused, as if unknown.
    const byPassword = await failureOf(colleague(() => env.svc.completeBinding(lure.bindTicket, { username: 'li.local', password: PASSWORDS.li })));
    expect(byPassword.code).toBe('BIND_TICKET_INVALID');
    // The phone proof is refused the same way, and no code goes to the colleague's phone.
    expect((await failureOf(colleague(() => env.svc.completeBinding(lure.bindTicket, { phone: '13700000002' })))).code).toBe('BIND_TICKET_INVALID');
    // A caller with no browser key at all, or naming some other key, gets nowhere either.
    expect((await failureOf(env.svc.completeBinding(lure.bindTicket, { username: 'li.local', password: PASSWORDS.li }))).code).toBe('BIND_TICKET_INVALID');
    const guessedKey = { clientKey: randomBytes(32).toString('base64url') };
    expect((await failureOf(env.svc.completeBinding(lure.bindTicket, { username: 'li.local', password: PASSWORDS.li }, guessedKey))).code).toBe('BIND_TICKET_INVALID');

    // Nothing was bound: lisi's next DingTalk login does not land in the colleague's account.
    expect(await env.model.findByMember(CORP_A.corpId, 'lisi')).toBeNull();
    expect(await countRows(env.app, 'sessions')).toBe(0);
    expect(await codesSent(env, 0)).toEqual([]);
    expect(ticketOf(await lisiBrowser(() => workbenchLogin(env, sim, 'lisi'))).status).toBe('BIND_REQUIRED');

    // The refusals spent nothing: in lisi's own browser the ticket still links lisi's own account.
    const li = (await env.app.users.findByUsername('li.local'))!;
    const own = await lisiBrowser(() => env.svc.completeBinding(lure.bindTicket, { username: 'lisi.local', password: PASSWORDS.lisi }));
    expect(own).toMatchObject({ status: 'LOGGED_IN', user: { username: 'lisi.local' }, dingtalk: { userId: 'lisi' } });
    expect((await env.model.findByMember(CORP_A.corpId, 'lisi'))?.userId).not.toBe(li.id);
  });

  test('a library caller without a browser key gets the ticket\'s key handed back, and must present it', async () => {
    const required = ticketOf(await workbenchLogin(env, sim, 'zhangsan'));
    expect(required.clientKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The ticket alone proves nothing: without the key, or from a browser, it is refused.
    expect((await failureOf(env.svc.completeBinding(required.bindTicket, { username: 'zhang.local', password: PASSWORDS.zhang }))).code).toBe('BIND_TICKET_INVALID');
    expect((await failureOf(browser()(() => env.svc.completeBinding(required.bindTicket, { username: 'zhang.local', password: PASSWORDS.zhang })))).code).toBe('BIND_TICKET_INVALID');
    expect(await env.model.findByMember(CORP_A.corpId, 'zhangsan')).toBeNull();
    // With the key, it works.
    expect(await completeAsHolder(env, required, { username: 'zhang.local', password: PASSWORDS.zhang })).toMatchObject({ status: 'LOGGED_IN', user: { username: 'zhang.local' } });
  });

  test('login CSRF: a QR state issued to browser A and presented by browser B signs nobody in', async () => {
    const attacker = browser();
    const victim = browser();
    const auth = provisioning.auth();
    const zhaoliu = simMember(sim, CORP_A.corpId, 'zhaoliu');
    const sessionsBefore = await countRows(provisioning.app, 'sessions');

    // The attacker starts a sign-in in their own browser and scans with their own DingTalk...
    const { state, appKey } = attacker(() => auth.getLoginConfig());
    const code = sim.mintQrCode(appKey, zhaoliu.unionid, { corpId: CORP_A.corpId });
    // ...then gets the victim's browser to finish it (a link to the callback, a forged frame message).
    const refused = await failureOf(victim(() => auth.getLoginCode({ code, loginType: 'qr', platform: 'web', state })));
    expect(refused).toMatchObject({ code: 'STATE_INVALID', details: { reason: 'OTHER_CLIENT' } });
    // And from no browser at all.
    expect((await failureOf(auth.getLoginCode({ code, loginType: 'qr', platform: 'web', state }))).code).toBe('STATE_INVALID');
    expect(await countRows(provisioning.app, 'sessions')).toBe(sessionsBefore);

    // A state issued outside any browser (a library call) is no use to a browser either.
    const keyless = auth.getLoginConfig().state;
    expect((await failureOf(victim(() => auth.getLoginCode({ code, loginType: 'qr', platform: 'web', state: keyless })))).code).toBe('STATE_INVALID');
    expect(await countRows(provisioning.app, 'sessions')).toBe(sessionsBefore);

    // The refusals spent neither the state nor the code: the browser that asked for it signs in.
    expect(await attacker(() => auth.getLoginCode({ code, loginType: 'qr', platform: 'web', state }))).toMatchObject({ status: 'LOGGED_IN', dingtalk: { userId: 'zhaoliu' } });
  });

  test('bind tickets are limited per DingTalk member: every ticket counts, the eleventh in an hour is refused', async () => {
    const member = browser();
    for (let i = 1; i <= 10; i++) expect((await member(() => workbenchLogin(env, sim, 'alice.chen'))).status).toBe('BIND_REQUIRED');
    const refused = await failureOf(member(() => workbenchLogin(env, sim, 'alice.chen')));
    expect(refused.code).toBe('RATE_LIMITED');
    expect(refused.details.retryAfter).toBeGreaterThan(0);
    expect(refused.details.retryAfter).toBeLessThanOrEqual(3600);
    // From any browser: the count is the member's.
    expect((await failureOf(browser()(() => workbenchLogin(env, sim, 'alice.chen')))).code).toBe('RATE_LIMITED');
    // Other members are not affected.
    expect((await member(() => workbenchLogin(env, sim, 'bob.li'))).status).toBe('BIND_REQUIRED');
  });

  test('15 wrong guesses over 3 tickets against one account back off after the fifth; the right password waits too; other accounts do not', async () => {
    const attacker = browser('10.66.0.1');
    const answers: string[] = [];
    let retryAfter = 0;
    for (const userid of ['wangwu', 'zhaoliu', 'chenjing']) {
      const ticket = ticketOf(await attacker(() => workbenchLogin(env, sim, userid)));
      for (let guess = 1; guess <= 5; guess++) {
        const answer = await failureOf(attacker(() => env.svc.completeBinding(ticket.bindTicket, { username: 'zhang.local', password: `${userid}-guess-${guess}` })));
        answers.push(answer.code);
        if (answer.code === 'RATE_LIMITED') retryAfter = answer.details.retryAfter as number;
      }
    }
    expect(answers).toEqual([...Array(5).fill('CREDENTIALS_INVALID'), ...Array(10).fill('RATE_LIMITED')]);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(30);

    // While it backs off, the right password is not even checked: no oracle, and nothing bound.
    const fresh = ticketOf(await attacker(() => workbenchLogin(env, sim, 'wangwu')));
    expect((await failureOf(attacker(() => env.svc.completeBinding(fresh.bindTicket, { username: 'zhang.local', password: PASSWORDS.zhang })))).code).toBe('RATE_LIMITED');
    expect(await env.model.findByMember(CORP_A.corpId, 'wangwu')).toBeNull();
    // The account's own front door (PasswordType) waits too, from any address: the count is the account's.
    const limited = await failureOf(browser()(() => passwords.login('zhang.local', PASSWORDS.zhang)));
    expect(limited).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfter: expect.any(Number) } });
    // Operators see it.
    expect(await env.app.failures.list({ scope: 'account', subject: 'zhang.local' })).toEqual([expect.objectContaining({ count: 5, retryAfterSeconds: expect.any(Number) })]);
    // Other accounts are not affected.
    expect(await browser()(() => passwords.login('li.local', PASSWORDS.li))).toMatchObject({ status: 'LOGGED_IN' });

    // A back-off, not a lock: once the wait is over (here: moved into the past), the owner signs in,
    // and that success clears the account's failures.
    await env.app.db.run((m) => m.update('failure_counters', { scope: 'account', subject: 'zhang.local' }, { blockedUntil: new Date(Date.now() - 1000) }));
    expect(await browser()(() => passwords.login('zhang.local', PASSWORDS.zhang))).toMatchObject({ status: 'LOGGED_IN' });
    expect(await env.app.failures.list({ scope: 'account', subject: 'zhang.local' })).toEqual([]);
  });

  test('PasswordType alone backs off the same way: five failures, then RATE_LIMITED for any password', async () => {
    const client = browser();
    for (let i = 1; i <= 5; i++) expect((await failureOf(client(() => passwords.login('li.local', `nope-${i}`)))).code).toBe('CREDENTIALS_INVALID');
    expect((await failureOf(client(() => passwords.login('li.local', PASSWORDS.li)))).code).toBe('RATE_LIMITED');
    // An account that does not exist is counted alike: the refusal says nothing about who exists.
    for (let i = 1; i <= 5; i++) expect((await failureOf(client(() => passwords.login('ghost.local', `nope-${i}`)))).code).toBe('CREDENTIALS_INVALID');
    expect((await failureOf(client(() => passwords.login('ghost.local', 'anything')))).code).toBe('RATE_LIMITED');
  });

  test('failures from one address back off every proof from it (limits.failures.perAddress, 50 by default)', async () => {
    const spray = browser('10.77.7.7');
    for (let i = 0; i < 50; i++) expect((await failureOf(spray(() => passwords.login(`spray-${i}`, 'Winter2026!')))).code).toBe('CREDENTIALS_INVALID');
    // A right password from that address waits as well; another address does not.
    expect((await failureOf(spray(() => passwords.login('li.local', PASSWORDS.li)))).code).toBe('RATE_LIMITED');
    expect(await browser('10.77.7.8')(() => passwords.login('li.local', PASSWORDS.li))).toMatchObject({ status: 'LOGGED_IN' });
  });

  test('no oracle after a right password: a disabled account, or one already linked in the corp, answers like a wrong password', async () => {
    const client = browser();
    // taken.local is linked to wangfang02 first.
    const first = ticketOf(await client(() => workbenchLogin(env, sim, 'wangfang02')));
    await client(() => env.svc.completeBinding(first.bindTicket, { username: 'taken.local', password: PASSWORDS.taken }));

    const ticket = ticketOf(await client(() => workbenchLogin(env, sim, 'wangfang01')));
    const attempt = (username: string, password: string) => failureOf(client(() => env.svc.completeBinding(ticket.bindTicket, { username, password })));
    const wrong = await attempt('off.local', 'not-the-password');
    const disabled = await attempt('off.local', PASSWORDS.off);
    const linkedElsewhere = await attempt('taken.local', PASSWORDS.taken);
    const unknown = await attempt('nobody.local', 'whatever');
    for (const answer of [disabled, linkedElsewhere, unknown]) expect(answer).toEqual(wrong);
    expect(wrong.code).toBe('CREDENTIALS_INVALID');
    expect(await env.model.findByMember(CORP_A.corpId, 'wangfang01')).toBeNull();
    // Operators learn why from the log (never the password).
    const lines = env.rawLogs.filter((line) => line.includes('bind proof held but the account cannot be linked'));
    expect(lines.map((line) => JSON.parse(line).reason).sort()).toEqual(['ALREADY_BOUND_IN_CORP', 'USER_DISABLED']);
    expect(lines.join('\n')).not.toContain(PASSWORDS.off);

    // The password front door: a right password for a disabled account is a failure like any other.
    const pwWrong = await failureOf(client(() => passwords.login('off.local', 'not-the-password')));
    const pwDisabled = await failureOf(client(() => passwords.login('off.local', PASSWORDS.off)));
    expect(pwDisabled).toEqual(pwWrong);
    expect(pwWrong.code).toBe('CREDENTIALS_INVALID');
  });

  test('verification codes are limited per phone and per member; every request counts, sent or not', async () => {
    const member = browser();
    const ask = (ticket: BindRequiredResult, phone: string) => member(() => env.svc.completeBinding(ticket.bindTicket, { phone }));
    // Per phone: five codes an hour to zhang.local's phone, whoever asks.
    const first = ticketOf(await member(() => workbenchLogin(env, sim, 'wangwu')));
    const second = ticketOf(await member(() => workbenchLogin(env, sim, 'wangwu')));
    for (let i = 0; i < 3; i++) expect(await ask(first, '13700000001')).toMatchObject({ status: 'CODE_SENT' });
    // A ticket sends at most three.
    expect((await failureOf(ask(first, '13700000001'))).code).toBe('RATE_LIMITED');
    for (let i = 0; i < 2; i++) expect(await ask(second, '13700000001')).toMatchObject({ status: 'CODE_SENT' });
    const other = ticketOf(await member(() => workbenchLogin(env, sim, 'zhaoliu')));
    const phoneLimited = await failureOf(ask(other, '+86 137 0000 0001'));
    expect(phoneLimited.code).toBe('RATE_LIMITED');
    expect(phoneLimited.details.retryAfter).toBeGreaterThan(0);
    expect((await codesSent(env, 5)).map((c) => c.phone)).toEqual(Array(5).fill('13700000001'));

    // Per member: five an hour, to any phones, whether or not an account has them.
    const spender = browser();
    const tickets = [ticketOf(await spender(() => workbenchLogin(env, sim, 'chenjing'))), ticketOf(await spender(() => workbenchLogin(env, sim, 'chenjing')))];
    for (let i = 0; i < 5; i++) {
      expect(await spender(() => env.svc.completeBinding(tickets[i < 3 ? 0 : 1].bindTicket, { phone: `1310000000${i}` }))).toMatchObject({ status: 'CODE_SENT' });
    }
    expect((await failureOf(spender(() => env.svc.completeBinding(tickets[1].bindTicket, { phone: '13100000009' })))).code).toBe('RATE_LIMITED');
    // None of those phones belongs to an account: nothing was texted.
    expect(env.sentCodes).toHaveLength(5);
  });

  test('a session records the binding it came through; a password session none', async () => {
    const client = browser();
    const ticket = ticketOf(await client(() => workbenchLogin(env, sim, 'wangfang01')));
    const bound = await client(() => env.svc.completeBinding(ticket.bindTicket, { username: 'li.local', password: PASSWORDS.li }));
    if (bound.status !== 'LOGGED_IN') throw new Error('not logged in');
    const binding = (await env.model.findByMember(CORP_A.corpId, 'wangfang01'))!;
    expect((await env.app.sessions.verify(bound.token))?.bindingId).toBe(binding.id);
    const again = await client(() => workbenchLogin(env, sim, 'wangfang01'));
    if (again.status !== 'LOGGED_IN') throw new Error('not logged in');
    expect((await env.app.sessions.verify(again.token))?.bindingId).toBe(binding.id);
    const local = await client(() => passwords.login('li.local', PASSWORDS.li));
    expect((await env.app.sessions.verify(local.token))?.bindingId).toBeNull();
  });
});
