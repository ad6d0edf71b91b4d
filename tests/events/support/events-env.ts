/**
 * Test support for live org events: the demo org (Acme and Globex) served by the simulator over real
 * HTTP and a real WebSocket (Stream mode, short redelivery), the fixture app (each organisation a
 * DingTalk login and a corp with `sync.events`) loaded through the library on a real database, the
 * corps' event watchers started as `jit serve` starts them, and the HTTP host in-process (for /api/me).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadApp } from '../../../runtime/load-app';
import { createLogger } from '../../../runtime/logger';
import type { AppHandle } from '../../../runtime/app-types';
import { createHost, type Host } from '../../../runtime/http/host';
import type { SimOrgUser, SimulatorHandle, SimulatorOptions } from '../../../sim/types';
import { simulatorEnv } from '../../../sim/env';
import { readStreamStatus, startCorpEventWatchers, type CorpEventWatchers } from '../../../elements/corps/corp-event-watchers';
import type { DDInnerCorpType } from '../../../elements/corps/DDInnerType/DDInnerCorpType';
import type { OrgModel } from '../../../elements/corps/models/OrgModel/OrgModel';
import type { DDInnerType } from '../../../elements/auths/loginTypes/DDInnerType/DDInnerType';
import type { DingTalkLoggedInResult } from '../../../elements/auths/loginTypes/DDInnerType/login-result';
import type { WatchEventsOptions } from '../../../elements/corps/events/corp-watcher';
import { CORP_A, CORP_B } from '../../login/support/login-env';
import { startStreamSimulator, waitFor } from '../../stream/helpers';

export { CORP_A, CORP_B } from '../../login/support/login-env';
export { blockRegistration, quietFor, waitFor, REDELIVERY_MS } from '../../stream/helpers';

export const LIVE_APP = path.resolve(__dirname, '../fixtures/live-app');
export const ACME = 'corps.acme';
export const GLOBEX = 'corps.globex';
export const ACME_LOGIN = 'auths.loginTypes.acmeLogin';
export const GLOBEX_LOGIN = 'auths.loginTypes.globexLogin';
export const APP_ENV = { DD_APP_SECRET_A: CORP_A.appSecret, DD_APP_SECRET_B: CORP_B.appSecret };

/** Reconnect at once in tests (DingTalk-facing defaults start at 1 s); no keep-alive pings. */
export const FAST_TRANSPORT: WatchEventsOptions = { transport: { backoff: { initialMs: 20, maxMs: 300, stableAfterMs: 60_000 }, keepAliveMs: 0, stopTimeoutMs: 5000 }, stateFlushMs: 50 };

/** The Stream simulator: redelivery after 1 s, pings on demand. The QPS limit stays on unless a test says otherwise. */
export function startEventsSimulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  return startStreamSimulator(options);
}

export interface LiveApp {
  app: AppHandle;
  dir: string;
  watchers: CorpEventWatchers;
  /** The in-process HTTP host (GET /api/me, the admin route). */
  host: Host;
  url: string;
  logs: Array<Record<string, unknown>>;
  corp(name?: string): DDInnerCorpType;
  orgModel(): OrgModel;
  close(): Promise<void>;
}

export interface OpenLiveAppOptions {
  /** The app folder (default the fixture). */
  dir?: string;
  watch?: WatchEventsOptions;
  /** Start the watchers (default true). */
  startWatchers?: boolean;
}

/** Loads the app on `databaseUrl`, starts its event watchers and an HTTP host, as `jit serve` does. */
export async function openLiveApp(sim: SimulatorHandle, databaseUrl: string, options: OpenLiveAppOptions = {}): Promise<LiveApp> {
  const logs: Array<Record<string, unknown>> = [];
  const dir = options.dir ?? LIVE_APP;
  const app = await loadApp(dir, {
    databaseUrl,
    env: { ...APP_ENV, ...simulatorEnv(sim) },
    logger: createLogger({ level: 'debug', sink: (line) => logs.push(JSON.parse(line)) }),
  });
  let watchers: CorpEventWatchers | null = null;
  const host = createHost(app, { streamStatus: () => readStreamStatus(app, watchers?.status() ?? []) });
  const url = await host.listen(0, '127.0.0.1');
  watchers = options.startWatchers === false ? emptyWatchers() : await startCorpEventWatchers(app, { ...FAST_TRANSPORT, ...options.watch });
  const started = watchers;
  return {
    app,
    dir,
    watchers: started,
    host,
    url,
    logs,
    corp: (name = ACME) => app.getElement<DDInnerCorpType>(name),
    orgModel: () => app.getElement<OrgModel>('corps.models.OrgModel'),
    async close() {
      await started.stop();
      await host.close();
      await app.close();
    },
  };
}

function emptyWatchers(): CorpEventWatchers {
  return { corps: [], status: () => [], reload: async () => undefined, stop: async () => undefined };
}

/** Waits until every watcher of the app is connected and its start-up catch-up sync has finished. */
export async function waitUntilWatching(live: LiveApp, corps: string[] = [ACME, GLOBEX]): Promise<void> {
  await waitFor(() => corps.every((corp) => live.watchers.status().find((s) => s.corp === corp)?.connected), `watchers of ${corps.join(', ')} to connect`, 30_000);
  await waitFor(
    () => corps.every((corp) => {
      const row = live.watchers.status().find((s) => s.corp === corp)?.row;
      return row?.lastCatchUpOutcome !== null && row?.lastCatchUpOutcome !== 'running';
    }),
    'the start-up catch-up syncs',
    30_000,
  );
}

/** A workbench login through the login element, as the in-DingTalk page makes it. */
export async function workbenchLogin(app: AppHandle, login: string, sim: SimulatorHandle, corpId: string, userid: string): Promise<DingTalkLoggedInResult> {
  const result = await app.getElement<DDInnerType>(login).loginByWorkbench(sim.mintWorkbenchCode(corpId, userid), 'mobile');
  if (result.status !== 'LOGGED_IN') throw new Error(`expected LOGGED_IN, got ${result.status}`);
  return result;
}

/** GET /api/me with a session token: the HTTP status. */
export async function meStatus(url: string, token: string): Promise<number> {
  const res = await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  return res.status;
}

/** A member of the simulator's org, copied (to add elsewhere or again). */
export function simMember(sim: SimulatorHandle, corpId: string, userid: string): SimOrgUser {
  return structuredClone(sim.org.corps.find((c) => c.corpId === corpId)!.users.find((u) => u.userid === userid)!);
}

/** The eventId the simulator gave the latest event of `type` naming `id` (a userid or deptId). */
export function simEventId(sim: SimulatorHandle, type: string, id: string | number): string {
  const events = sim.stream.events().filter((e) => e.eventType === type && JSON.stringify(e.data).includes(JSON.stringify(id)));
  if (events.length === 0) throw new Error(`the simulator pushed no ${type} naming ${id}`);
  return events[events.length - 1].eventId;
}

/** A temporary copy of an app folder (tests that edit config files); `remove()` deletes it. */
export function copyApp(dir: string = LIVE_APP): { dir: string; remove(): void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jit-events-'));
  const copy = path.join(root, path.basename(dir));
  fs.cpSync(dir, copy, { recursive: true, filter: (src) => !src.includes(`${path.sep}.jit`) });
  // The schema references are relative to the repository; the copy does not need them to load.
  return { dir: copy, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}
