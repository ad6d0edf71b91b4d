/**
 * A crash mid-event is recovered (#13): `jit org watch` runs as a real child process; a leaver's event
 * is paused inside its transaction (the binding already marked left and the user already disabled, in
 * that transaction; a preloaded test hook waits there) and the process is SIGKILLed. Read afterwards,
 * nothing of the event is in the database: not the binding's end, not the disabled user, not the
 * event's record. The event was never acked, so the simulator pushes it again; a restarted
 * `jit org watch` applies it, once. On a SQLite file (the process's only connection dies with it) and
 * on PostgreSQL.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AppHandle } from '../../runtime/app-types';
import type { DDInnerCorpType } from '../../elements/corps/DDInnerType/DDInnerCorpType';
import type { OrgModel } from '../../elements/corps/models/OrgModel/OrgModel';
import type { DDInnerAuthModel } from '../../elements/auths/loginTypes/DDInnerType/DDInnerAuthModel/DDInnerAuthModel';
import { CORP_A } from '../helpers/demo-org';
import { openLoginApp, useLoginApp } from '../helpers/login-app';
import { workbenchLoginThrough } from '../helpers/login-steps';
import { useSimulator } from '../helpers/simulator';
import { describeEachDatabase } from '../helpers/each-database';
import { ACME, ACME_LOGIN, LIVE_APP, simEventId, streamSimulatorOptions, waitFor } from './live-app';
import { startWatchProcess, type WatchProcess } from './watch-process';

jest.setTimeout(240_000);

const PAUSE_HOOK = path.join(__dirname, 'pause-inside-apply.ts');

describeEachDatabase('SIGKILL of jit org watch in the middle of an event', (target) => {
  const sim = useSimulator(streamSimulatorOptions());
  // The app for `jit org watch` children (their environment: env.childEnv); not loaded here.
  const env = useLoginApp({ sim, app: LIVE_APP, database: target, load: false });
  let tempDir: string;
  let child: WatchProcess | undefined;

  /** The app on the same database, in this process (reads; and the set-up's sync and login). */
  const withApp = async <T>(fn: (app: AppHandle) => Promise<T>): Promise<T> => {
    const opened = await openLoginApp({ sim, app: LIVE_APP, database: target, logs: 'silent' });
    try {
      return await fn(opened.app);
    } finally {
      await opened.close();
    }
  };
  const stateOf = (app: AppHandle, userid: string) =>
    Promise.all([
      app.getElement<OrgModel>('corps.models.OrgModel').findMember(ACME, userid),
      app.getElement<DDInnerAuthModel>('auths.loginTypes.DDInnerType.DDInnerAuthModel').findByMember(CORP_A.corpId, userid),
    ]);

  beforeAll(async () => {
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jit-events-crash-'));
  });
  afterAll(async () => {
    if (child?.running()) await child.kill('SIGKILL');
    fs.rmSync(tempDir, { recursive: true, force: true });
  });

  it('leaves nothing half done, and the restarted watcher applies the event once', async () => {
    // Set-up, in this process: the organisation synced, and 李四 signed in through Acme.
    const login = await withApp(async (app) => {
      await app.getElement<DDInnerCorpType>(ACME).syncCorp();
      return workbenchLoginThrough(app, ACME_LOGIN, sim, CORP_A.corpId, 'lisi');
    });

    const marker = path.join(tempDir, 'paused');
    child = startWatchProcess({ appDir: LIVE_APP, corp: ACME, env: { ...env.childEnv, JIT_TEST_PAUSE_MARKER: marker }, preload: [PAUSE_HOOK] });
    await child.waitForOutput(/Watching the live events of corps\.acme/);
    await child.waitForOutput(/catch-up org sync finished/);

    sim.removeMember(CORP_A.corpId, 'lisi');
    const eventId = simEventId(sim, 'user_leave_org', 'lisi');
    await waitFor(() => fs.existsSync(marker), 'the watcher to pause inside the event', 60_000);
    expect(sim.stream.pending()).toEqual([expect.objectContaining({ eventId, state: 'inFlight' })]);
    expect(await child.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });

    // Nothing of the event survived the crash.
    await withApp(async (app) => {
      const [membership, binding] = await stateOf(app, 'lisi');
      expect(membership).toMatchObject({ status: 'active', leftAt: null, disabledUserId: null });
      expect(binding).toMatchObject({ leftAt: null });
      expect(await app.users.findById(login.userId)).toMatchObject({ disabled: false });
      expect(await app.sessions.verify(login.token)).toMatchObject({ userId: login.userId });
      expect(await app.getElement<OrgModel>('corps.models.OrgModel').events.listByEventId(eventId)).toEqual([]);
      expect((await app.audit.list({ type: 'event.applied', limit: 1000 })).events.filter((e) => e.details?.eventId === eventId)).toEqual([]);
    });

    // Restarted (no hook; named by its login, which means the corp naming it): DingTalk pushes the
    // unacked event again, and it is applied once.
    child = startWatchProcess({ appDir: LIVE_APP, corp: ACME_LOGIN, env: env.childEnv });
    await child.waitForOutput(/Watching the live events of corps\.acme/);
    expect(child.output()).toContain(`${ACME_LOGIN} is a login: using ${ACME}, the corp that names it`);
    await waitFor(() => sim.stream.pending().length === 0 && sim.stream.counters().redelivered > 0, 'the event to be pushed again and acked', 60_000);
    await child.waitForOutput(/catch-up org sync finished/);

    await withApp(async (app) => {
      const [membership, binding] = await stateOf(app, 'lisi');
      expect(membership).toMatchObject({ status: 'left', disabledUserId: login.userId });
      expect(binding).toMatchObject({ leftAt: expect.any(Date) });
      expect(await app.users.findById(login.userId)).toMatchObject({ disabled: true });
      expect(await app.sessions.verify(login.token)).toBeNull();
      expect(await app.getElement<OrgModel>('corps.models.OrgModel').events.listByEventId(eventId)).toEqual([expect.objectContaining({ outcome: 'applied' })]);
      expect((await app.audit.list({ type: 'event.applied', limit: 1000 })).events.filter((e) => e.details?.eventId === eventId)).toHaveLength(1);
    });

    // SIGTERM: the watcher stops cleanly.
    expect(await child.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(child.output()).toMatch(/Stopping \(SIGTERM\)/);
  });
});
