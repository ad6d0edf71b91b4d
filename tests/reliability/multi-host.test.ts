/**
 * Several hosts: two `jit serve` processes on one real PostgreSQL database (loopback), started at
 * the same moment as a rolling deploy would, both pointed at one simulator. The first logins of
 * every member are fired at both hosts at once; each member must end up with one user and one
 * binding. A session opened on one host is accepted by the other, a logout on one is honoured by
 * both, and a QR state issued by one host is accepted once, by either.
 */
import { generateOrg } from '../../sim';
import { describeWithPostgres } from '../helpers/requirements';
import type { ServeProcess } from '../helpers/serve-process';
import { inspectDatabase } from '../helpers/db-inspector';
import { createLoginDriver, postJson, runPool, type LoginKind, type LoginOutcome } from '../helpers/login-driver';
import { CookieJar } from '../helpers/cookie-jar';
import { memberAddress } from '../helpers/load-plan';
import { useLoginApp, functionPath } from '../helpers/login-app';
import { useSimulator } from '../helpers/simulator';

const MEMBERS = 60;
const INSTANCE = 'auths.loginTypes.corpLogin';

jest.setTimeout(300_000);

describeWithPostgres('two jit serve hosts on one PostgreSQL database', () => {
  const org = generateOrg({ members: MEMBERS, seed: 21 });
  const corp = org.corps[0];
  // Needs no throttle: tests concurrent first logins on two hosts, far over 20 calls a second.
  const sim = useSimulator({ org, latencyMs: 5, seed: 21, qps: 'off' });
  const env = useLoginApp({ sim, app: { instances: [{ name: 'corpLogin', corp, whenNotAssociated: 'createUser' }] }, database: 'postgres', load: false });
  let hosts: ServeProcess[] = [];

  beforeAll(async () => {
    // Both start on an empty database at once: both run the migrations.
    hosts = await Promise.all([0, 1].map(() => env.startServe({ args: ['--trust-proxy'] })));
  });

  let firstLogins: LoginOutcome[] = [];

  test('concurrent first logins of the same members on both hosts give one user and one binding each', async () => {
    const driver = createLoginDriver(sim, { corp, instance: INSTANCE }, { timeoutMs: 60_000 });
    // Each member logs in twice at the same moment, once on each host, by alternating flows.
    const pairs = corp.users.flatMap((member, i) => [
      { member, host: hosts[0], kind: (i % 2 === 0 ? 'workbench' : 'qr') as LoginKind },
      { member, host: hosts[1], kind: (i % 2 === 0 ? 'qr' : 'workbench') as LoginKind },
    ]);
    firstLogins = await runPool(pairs, 32, ({ member, host, kind }) => driver.login(host.url, member, kind, { 'x-forwarded-for': memberAddress(member) }));

    expect(firstLogins.filter((o) => !o.ok)).toEqual([]);
    const db = await inspectDatabase(env.databaseUrl);
    expect(db.problems).toEqual([]);
    expect(db.bindings).toHaveLength(MEMBERS);
    expect(db.users).toHaveLength(MEMBERS);
    for (const member of corp.users) {
      const ids = new Set(firstLogins.filter((o) => o.userid === member.userid).map((o) => o.userId));
      const binding = db.bindings.find((b) => b.thirdUserId === member.userid);
      expect({ member: member.userid, ids: [...ids] }).toEqual({ member: member.userid, ids: [binding?.userId] });
    }
    // Both hosts really served logins that created users (the race was run, not avoided).
    const created = firstLogins.filter((o) => o.binding === 'created');
    expect(created).toHaveLength(MEMBERS);
    expect(new Set(firstLogins.map((o) => o.kind))).toEqual(new Set(['workbench', 'qr']));
  });

  test('a session opened on one host is accepted by the other; logout on one is honoured by both', async () => {
    const [a, b] = hosts;
    const login = firstLogins.find((o) => o.ok)!;
    const me = (host: ServeProcess, headers: Record<string, string>) => fetch(`${host.url}/api/me`, { headers });
    const bearer = { authorization: `Bearer ${login.token}` };

    for (const host of hosts) {
      const res = await me(host, bearer);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { data: { user: { id: string } } }).data.user.id).toBe(login.userId);
      expect((await me(host, { cookie: `jit_session=${login.token}` })).status).toBe(200);
    }

    const logout = await fetch(`${a.url}/api/logout`, { method: 'POST', headers: bearer });
    expect(logout.status).toBe(200);
    expect(((await logout.json()) as { data: { revoked: boolean } }).data.revoked).toBe(true);
    for (const host of [b, a]) {
      const res = await me(host, bearer);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('LOGIN_REQUIRED');
    }
    // The other sessions of the same run are untouched by that logout.
    const other = firstLogins.find((o) => o.ok && o.userid !== login.userid)!;
    expect((await me(b, { authorization: `Bearer ${other.token}` })).status).toBe(200);
  });

  test('a QR state issued by one host is accepted by the other, once', async () => {
    const [a, b] = hosts;
    const member = corp.users[0];
    const headers = { 'x-forwarded-for': '10.200.0.1' };
    // One browser (its cookies reach both hosts, as behind one origin): the state is bound to its browser key.
    const browser = new CookieJar();
    const config = await postJson(a.url + functionPath(INSTANCE, 'getLoginConfig'), {}, headers, 30_000, browser);
    if (!config.ok) throw new Error(`getLoginConfig failed: ${config.code}`);
    const { state, appKey } = config.data as { state: string; appKey: string };
    const loginWith = (host: ServeProcess) =>
      postJson(host.url + functionPath(INSTANCE, 'getLoginCode'), { code: sim.mintQrCode(appKey, member.unionid), loginType: 'qr', platform: 'web', state }, headers, 30_000, browser);

    const onB = await loginWith(b);
    expect(onB.ok).toBe(true);
    const replayOnA = await loginWith(a);
    expect(replayOnA).toEqual({ ok: false, status: 400, code: 'STATE_INVALID' });
    const replayOnB = await loginWith(b);
    expect(replayOnB).toEqual({ ok: false, status: 400, code: 'STATE_INVALID' });
  });
});
