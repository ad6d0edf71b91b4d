/**
 * Live org events for the events suites (kept beside them: the watchers are theirs): the demo org
 * (Acme and Globex) served by the simulator over real HTTP and a real WebSocket (Stream mode, short
 * redelivery: `useSimulator(streamSimulatorOptions())`), the fixture app (each organisation a DingTalk
 * login and a corp with `sync.events`) opened by tests/helpers/login-app.ts with its in-process HTTP
 * host (for /api/me), and the corps' event watchers started as `jit serve` starts them.
 */
import * as path from 'node:path';
import type { SimOrgUser, SimulatorHandle } from '../../sim/types';
import { readStreamStatus, startCorpEventWatchers, type CorpEventWatchers } from '../../elements/corps/corp-event-watchers';
import type { DDInnerCorpType } from '../../elements/corps/DDInnerType/DDInnerCorpType';
import type { OrgModel } from '../../elements/corps/models/OrgModel/OrgModel';
import type { WatchEventsOptions } from '../../elements/corps/events/corp-watcher';
import { lateBound } from '../helpers/late-bound';
import { copyAppFolder, openLoginApp, type LoginApp } from '../helpers/login-app';
import { waitFor } from '../stream/helpers';

export { blockRegistration, quietFor, streamSimulatorOptions, waitFor, REDELIVERY_MS } from '../stream/helpers';

export const LIVE_APP = path.resolve(__dirname, 'fixtures/live-app');
export const ACME = 'corps.acme';
export const GLOBEX = 'corps.globex';
export const ACME_LOGIN = 'auths.loginTypes.acmeLogin';
export const GLOBEX_LOGIN = 'auths.loginTypes.globexLogin';

/** Reconnect at once in tests (DingTalk-facing defaults start at 1 s); no keep-alive pings. */
export const FAST_TRANSPORT: WatchEventsOptions = { transport: { backoff: { initialMs: 20, maxMs: 300, stableAfterMs: 60_000 }, keepAliveMs: 0, stopTimeoutMs: 5000 }, stateFlushMs: 50 };

export interface LiveApp extends Omit<LoginApp, 'corp'> {
  watchers: CorpEventWatchers;
  /** A corp of the app (default Acme's). */
  corp(name?: string): DDInnerCorpType;
  orgModel(): OrgModel;
}

export interface OpenLiveAppOptions {
  /** The app folder (default the fixture). */
  dir?: string;
  /** Open a temporary copy of it (tests that edit its config files); removed on close. */
  copy?: boolean;
  watch?: WatchEventsOptions;
  /** Start the watchers (default true). */
  startWatchers?: boolean;
}

/** Opens the app on `databaseUrl` with its HTTP host (useLoginApp's), and starts its event watchers, as `jit serve` does. */
export async function openLiveApp(sim: SimulatorHandle, databaseUrl: string, options: OpenLiveAppOptions = {}): Promise<LiveApp> {
  let watchers: CorpEventWatchers | null = null;
  const env = await openLoginApp({
    sim,
    app: options.dir ?? LIVE_APP,
    copy: options.copy,
    database: { url: databaseUrl },
    host: 'in-process',
    hostOptions: { streamStatus: () => readStreamStatus(env.app, watchers?.status() ?? []) },
  });
  try {
    watchers = options.startWatchers === false ? emptyWatchers() : await startCorpEventWatchers(env.app, { ...FAST_TRANSPORT, ...options.watch });
  } catch (err) {
    await env.close();
    throw err;
  }
  const started = watchers;
  const closeApp = env.close;
  // Extended in place, not copied: the LoginApp's getters (app, host, url, ...) stay live.
  return Object.assign(env, {
    watchers: started,
    corp: (name = ACME) => env.app.getElement<DDInnerCorpType>(name),
    orgModel: () => env.app.getElement<OrgModel>('corps.models.OrgModel'),
    async close() {
      await started.stop();
      await closeApp();
    },
  }) as LiveApp;
}

/** openLiveApp for a describe block: opened in beforeAll (after the database and simulator), closed in afterAll. */
export function useLiveApp(sim: SimulatorHandle, database: { url: string }, options: OpenLiveAppOptions | (() => OpenLiveAppOptions) = {}): LiveApp {
  const handle = lateBound<LiveApp>('useLiveApp()');
  beforeAll(async () => {
    handle.set(await openLiveApp(sim, database.url, typeof options === 'function' ? options() : options));
  });
  afterAll(async () => {
    await handle.current()?.close();
  });
  return handle.value;
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
  return copyAppFolder(dir);
}
