/**
 * Live events through a real `jit serve` (a child process on a SQLite file): it holds one Stream
 * connection per corp with `sync.events`; a member removed in the simulator has their session refused
 * (401 on /api/me); a member added and then renamed shows in `jit users list`, run as another process;
 * `jit org status` (another process) shows the connection and what was applied; the admin route
 * serves the Stream state to administrators only; /healthz keeps its contract; SIGTERM stops cleanly
 * and the status then says so.
 */
import { runJit, type ServeProcess } from '../helpers/serve-process';
import { ACME, GLOBEX, LIVE_APP, meStatus, streamSimulatorOptions, waitFor } from './live-app';
import { CORP_A, CORP_B } from '../helpers/demo-org';
import { openLoginApp, useLoginApp } from '../helpers/login-app';
import { useSimulator } from '../helpers/simulator';

jest.setTimeout(300_000);

const AUTH_SERVICE = 'auths/loginTypes/DDInnerType/services/DDInnerAuthSvc';

describe('live events in jit serve', () => {
  const sim = useSimulator(streamSimulatorOptions());
  // Served by `jit serve` (started below, once the users exist); `jit` commands get live.childEnv.
  const live = useLoginApp({ sim, app: LIVE_APP, database: 'sqlite', load: false });
  let host: ServeProcess;
  const tokens: Record<'ops' | 'viewer', string> = { ops: '', viewer: '' };

  const jit = async (args: string[]) => {
    const result = await runJit([...args, '--app', LIVE_APP], { env: live.childEnv });
    if (result.code !== 0) throw new Error(`jit ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return result.stdout;
  };
  const usersList = async () => JSON.parse(await jit(['users', 'list', '--json'])) as Array<{ username: string; displayName: string | null; disabled: boolean }>;
  const orgStatus = async () => JSON.parse(await jit(['org', 'status', ACME, '--json']));
  const get = async (route: string, token?: string) => {
    const res = await fetch(host.url + route, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, body: JSON.parse(await res.text()) };
  };

  beforeAll(async () => {
    // An administrator (app.json "admins": ["ops"]) and someone who is not, each with a session.
    const { app, close } = await openLoginApp({ sim, app: LIVE_APP, database: { url: live.databaseUrl }, logs: 'silent' });
    try {
      for (const username of ['ops', 'viewer'] as const) {
        const user = await app.users.create({ username, source: 'cli' });
        tokens[username] = (await app.sessions.create(user.id)).token;
      }
    } finally {
      await close();
    }
    host = await live.startServe();
    await waitFor(() => sim.stream.connections().length === 2, 'a Stream connection per corp', 60_000);
    await waitFor(async () => (await orgStatus()).events.lastCatchUp?.outcome === 'complete', 'the start-up catch-up sync', 60_000);
  });

  it('holds one Stream connection per corp with sync.events, with the credentials of the login each names', () => {
    expect(sim.stream.connections().map((c) => [c.corpId, c.appKey]).sort()).toEqual([[CORP_A.corpId, CORP_A.appKey], [CORP_B.corpId, CORP_B.appKey]].sort());
    expect(host.output()).not.toMatch(/live events are not available/);
  });

  it('a member removed in DingTalk: their session is refused (401 on /api/me)', async () => {
    const authCode = sim.mintWorkbenchCode(CORP_A.corpId, 'lisi');
    const res = await fetch(`${host.url}/api/acme/liveevents/${AUTH_SERVICE}/loginByWorkbench`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ corpId: CORP_A.corpId, authCode, platform: 'mobile' }),
    });
    const login = (await res.json()) as { data: { token: string } };
    expect(await meStatus(host.url, login.data.token)).toBe(200);
    sim.removeMember(CORP_A.corpId, 'lisi');
    await waitFor(async () => (await meStatus(host.url, login.data.token)) === 401, 'the session to be refused', 60_000);
  });

  it('a member added appears in jit users list, and a modified name shows there', async () => {
    sim.addMember(CORP_A.corpId, { userid: 'newhire', unionid: 'newhireUnionId000000001', name: '新人', mobile: '13800138100', dept_id_list: [2] });
    await waitFor(async () => (await usersList()).some((u) => u.username === 'newhire' && u.displayName === '新人'), 'newhire in jit users list', 90_000);
    sim.updateMember(CORP_A.corpId, 'newhire', { name: '新人改名' });
    await waitFor(async () => (await usersList()).some((u) => u.username === 'newhire' && u.displayName === '新人改名'), 'the new name in jit users list', 90_000);
    expect((await usersList()).find((u) => u.username === 'lisi')).toMatchObject({ disabled: true });
  });

  it('jit org status, in another process, shows the connection, the events applied and the last catch-up sync', async () => {
    const status = await orgStatus();
    expect(status.events).toMatchObject({ enabled: true, connected: true, applied: 3, notApplied: 0, duplicatesSkipped: 0, lastCatchUp: { reason: 'start', outcome: 'complete' } });
    expect(status.events.watchers).toEqual([expect.objectContaining({ state: 'running', connected: true, applied: 3 })]);
    const text = await jit(['org', 'status', ACME]);
    expect(text).toMatch(/live events: on; Stream connected since \d{4}-/);
    expect(text).toMatch(/last 7 days: 3 applied, 0 duplicates skipped, 0 not applied/);
    expect(text).toMatch(/catch-up: +\S+ \(start\): complete on /);
  });

  it('GET /api/admin/stream-status: the Stream state for administrators only; /healthz is unchanged', async () => {
    expect((await get('/api/admin/stream-status')).status).toBe(401);
    expect((await get('/api/admin/stream-status', tokens.viewer)).status).toBe(404);
    const admin = await get('/api/admin/stream-status', tokens.ops);
    expect(admin.status).toBe(200);
    const corps = admin.body.data.corps as Array<{ corp: string; connected: boolean; applied: number }>;
    expect(corps.map((c) => c.corp).sort()).toEqual([ACME, GLOBEX]);
    expect(corps.find((c) => c.corp === ACME)).toMatchObject({ connected: true, applied: 3 });
    expect(admin.body.data.thisProcess).toEqual(expect.arrayContaining([expect.objectContaining({ corp: ACME, state: 'connected', connected: true })]));
    expect(JSON.stringify(admin.body)).not.toContain(CORP_A.appSecret);

    const health = await fetch(`${host.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('{"status":"ok"}');
  });

  it('SIGTERM stops the watchers cleanly; the status then says so', async () => {
    expect(await host.stop()).toEqual({ code: 0, signal: null });
    const status = await orgStatus();
    expect(status.events).toMatchObject({ connected: false, since: expect.any(String) });
    expect(status.events.watchers).toEqual([expect.objectContaining({ state: 'stopped', connected: false })]);
    await waitFor(() => sim.stream.connections().length === 0, 'the connections to close');
  });
});
