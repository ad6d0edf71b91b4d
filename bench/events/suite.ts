/**
 * Events suite (#13): how long a live org change takes to be applied. The simulator runs in its own
 * process (20 ms added to every DingTalk call) with a generated 200-member org; `jit org watch`
 * watches the corp, as an operator runs it, on the app's default SQLite file. 1,000 member changes
 * (renames, each a `user_modify_org` event) are made through the simulator's admin API at 20 a second
 * (DingTalk's per-app rate for the user/get each event costs). Latency: from the simulator's push
 * (the event's eventBornTime) to the time on the applied event's row in corp_events.
 *
 * Baseline, in the same run: the bare Stream round trip, i.e. the same 1,000 changes pushed to a
 * DingTalkStreamClient with a no-op handler (push to handler call). The difference is the cost of
 * applying: reading the member from DingTalk, the transaction, the record.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { connectSimulator, simulatorEnv, type SimulatorClient } from '../../sim';
import { DingTalkStreamClient } from '../../dingtalk/stream/StreamClient';
import { loadApp } from '../../runtime/load-app';
import { silentLogger } from '../../runtime/logger';
import { forkService } from '../lib/child-process';
import { figure, goal } from '../lib/figures';
import { BENCH_DIST, BENCH_TMP, JIT_CLI } from '../lib/paths';
import { percentile, round } from '../lib/stats';
import { runSuiteInChild, type SuiteContext, type SuiteOutput } from '../lib/suite';
import { EVENTS_CORP, EVENTS_ORG, prepareEventsApp, type EventsApp } from './events-app';

const EVENTS = 1000;
const PER_SECOND = 20;
const SIM_LATENCY_MS = 20;
const PHASE_TIMEOUT_MS = 180_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = PHASE_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Renames members one after another at PER_SECOND (the schedule, not the answers, sets the pace). */
async function makeChanges(sim: SimulatorClient, app: EventsApp, label: string): Promise<void> {
  const users = app.corp.users;
  const started = Date.now();
  for (let i = 0; i < EVENTS; i++) {
    const due = started + (i * 1000) / PER_SECOND;
    if (due > Date.now()) await sleep(due - Date.now());
    const user = users[i % users.length];
    await sim.updateMember(app.corp.corpId, user.userid, { name: `${user.name} ${label}${i}` });
  }
}

/** Push -> handler call of a Stream client that does nothing with the event. */
async function measureBareRoundTrip(sim: SimulatorClient, app: EventsApp): Promise<number[]> {
  const samples: number[] = [];
  const client = new DingTalkStreamClient({
    credentials: { appKey: app.dingApp.appKey, appSecret: app.dingApp.appSecret },
    apiUrl: sim.apiUrl,
    keepAliveMs: 0,
    onEvent: (event) => {
      if (event.eventType === 'user_modify_org') samples.push(Date.now() - event.eventBornTime);
    },
  });
  client.start();
  try {
    await waitUntil('the bare client to connect', () => client.status.connected, 30_000);
    await makeChanges(sim, app, 'b');
    await waitUntil(`${EVENTS} events at the bare client`, () => samples.length >= EVENTS);
  } finally {
    await client.stop();
  }
  return samples;
}

/** `jit org watch` in its own process; resolves once its start-up catch-up sync has finished. */
async function startWatcher(sim: SimulatorClient, app: EventsApp): Promise<{ child: ChildProcess; stop(): Promise<void> }> {
  const logFile = path.join(BENCH_TMP, 'events-watch.log');
  const fd = fs.openSync(logFile, 'w');
  const env: NodeJS.ProcessEnv = { ...process.env, DINGTALK_OAPI_URL: sim.url, DINGTALK_API_URL: sim.url, DINGTALK_LOGIN_URL: sim.url };
  delete env.JIT_DATABASE_URL; // the app's default SQLite file
  const child = spawn(process.execPath, [JIT_CLI, 'org', 'watch', EVENTS_CORP, '--app', app.dir], { cwd: app.dir, env, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const log = () => fs.readFileSync(logFile, 'utf8');
  await waitUntil('the watcher to catch up at start', () => {
    if (child.exitCode !== null) throw new Error(`jit org watch exited (${child.exitCode}):\n${log()}`);
    return /catch-up org sync finished/.test(log());
  }, 60_000);
  return {
    child,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Push -> the applied event's row, read from the database once the watcher has stopped. */
async function measureApplied(sim: SimulatorClient, app: EventsApp): Promise<number[]> {
  fs.rmSync(path.dirname(app.databaseFile), { recursive: true, force: true });
  const watcher = await startWatcher(sim, app);
  try {
    await sim.stream.resetCounters();
    await makeChanges(sim, app, 'w');
    await waitUntil(`${EVENTS} events acked by the watcher`, async () => (await sim.stream.counters()).acked >= EVENTS && (await sim.stream.pending()).length === 0);
  } finally {
    await watcher.stop();
  }
  const loaded = await loadApp(app.dir, { watch: false, logger: silentLogger, env: simulatorEnv({ oapiUrl: sim.url, apiUrl: sim.url, loginUrl: sim.url }) });
  try {
    const rows = await loaded.db.run((m) => m.query(`SELECT "bornAt", "appliedAt", outcome FROM corp_events WHERE "eventType" = 'user_modify_org'`));
    const applied = (rows as Array<{ bornAt: string; appliedAt: string; outcome: string }>).filter((r) => r.outcome === 'applied');
    if (applied.length !== EVENTS) throw new Error(`expected ${EVENTS} applied events, found ${applied.length} (of ${rows.length})`);
    // SQLite keeps TypeORM's UTC text ('YYYY-MM-DD HH:MM:SS.SSS').
    const time = (text: string) => new Date(`${text.replace(' ', 'T')}Z`).getTime();
    return applied.map((r) => time(r.appliedAt) - time(r.bornAt));
  } finally {
    await loaded.close();
  }
}

async function run(ctx: SuiteContext): Promise<SuiteOutput> {
  const app = prepareEventsApp();
  const { service, ready } = await forkService(path.join(BENCH_DIST, 'lib', 'sim-process.js'), {
    label: 'simulator',
    // Needs no throttle: measures the latency of each event (paced at DingTalk's own 20 a second), not DingTalk's limit.
    args: [JSON.stringify({ latencyMs: SIM_LATENCY_MS, generate: EVENTS_ORG, qps: 'off' })],
    readyType: 'ready',
  });
  let bare: number[];
  let applied: number[];
  try {
    const sim = await connectSimulator(String(ready.url), { token: String(ready.adminToken) });
    bare = await measureBareRoundTrip(sim, app);
    ctx.progress(`bare Stream round trip: p50 ${percentile(bare, 50)} ms over ${bare.length} events`);
    applied = await measureApplied(sim, app);
    ctx.progress(`event -> applied: p50 ${percentile(applied, 50)} ms, p99 ${percentile(applied, 99)} ms over ${applied.length} events`);
  } finally {
    await service.stop();
  }

  const baseline = (p: number) => ({ label: `bare Stream round trip, p${p}`, value: round(percentile(bare, p), 1), unit: 'ms' });
  return {
    title: 'Live org events',
    figures: [
      figure({ id: 'events.p50', label: `Change pushed -> event applied, p50 of ${EVENTS}`, value: round(percentile(applied, 50), 1), unit: 'ms', baseline: baseline(50) }),
      figure({
        id: 'events.p99',
        label: `Change pushed -> event applied, p99 of ${EVENTS}`,
        value: round(percentile(applied, 99), 1),
        unit: 'ms',
        baseline: baseline(99),
        goal: goal('value', '<', 2000, '< 2 s (an event applied in 2 s)'),
      }),
    ],
    raw: {
      events: EVENTS,
      perSecond: PER_SECOND,
      simLatencyMs: SIM_LATENCY_MS,
      members: EVENTS_ORG.members,
      appliedMs: { p50: percentile(applied, 50), p90: percentile(applied, 90), p99: percentile(applied, 99), max: Math.max(...applied) },
      bareMs: { p50: percentile(bare, 50), p90: percentile(bare, 90), p99: percentile(bare, 99), max: Math.max(...bare) },
    },
    method: [
      `The simulator runs in its own process with a generated ${EVENTS_ORG.members}-member org and ${SIM_LATENCY_MS} ms added to every DingTalk call; \`jit org watch\` (compiled) watches the corp on the app's default SQLite file, after its start-up catch-up sync.`,
      `${EVENTS} member renames through the simulator's admin API, ${PER_SECOND} a second (DingTalk's per-app rate for the user/get each event costs); each is a user_modify_org event the watcher applies: user/get, then one transaction (membership, user, binding profile, the event's record, the audit rows).`,
      'Latency: from the event\'s eventBornTime (the simulator\'s push) to appliedAt on its corp_events row, both on this machine\'s clock, read after the run; whole milliseconds (eventBornTime\'s resolution), so a bare round trip under 1 ms reads 0.',
      'Baseline: the same renames pushed to a DingTalkStreamClient with a no-op handler (push to handler call), in the same run.',
    ],
  };
}

if (require.main === module) runSuiteInChild('events', run);
