/**
 * Scale suite (issue #12): what the host does against DingTalk's per-app limit, with the simulator's
 * default limits on (20 calls per second per app per API, as DingTalk's free tier):
 * 1. the 9:00 rush: 400 workbench logins from one address, 100 at once, through one `jit serve`;
 * 2. two `jit serve` processes on one PostgreSQL database, 200 logins each at the same time;
 * 3. `jit org sync` of 10,000 members (20 ms per DingTalk call) against a bare walk of the same tree
 *    at the same budget plus a bare SQLite bulk insert, then a larger org once for its peak RSS.
 */
import { fork } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Client } from 'pg';
import { connectSimulator, type SimCallRates, type SimEndpoint, type SimulatorClient } from '../../sim';
import { prepareThrowawayPostgres } from '../../tests/helpers/postgres';
import { forkService, type ChildService } from '../lib/child-process';
import { figure, goal, type Figure } from '../lib/figures';
import { BENCH_DIST, BENCH_TMP, JIT_CLI } from '../lib/paths';
import { nowMs, percentile, round } from '../lib/stats';
import { runSuiteInChild, type SuiteContext, type SuiteOutput } from '../lib/suite';
import { startHost, type HostProcess } from '../login/host-process';
import { runClosedLoop } from '../login/load';
import { LOGIN_ORG, prepareLoginApp, resetDatabase, type LoginApp } from '../login/login-app';
import { bulkInsert } from './bare-bulk-insert';
import { walkOrg } from './bare-org-walk';
import { RushClient, type RushLogin } from './rush-client';
import { prepareSyncApp, SYNC_CORP, type SyncApp } from './sync-app';

/** DingTalk's per-app per-API limit the simulator enforces by default (free tier). */
const BUDGET_QPS = 20;
const RUSH = { logins: 400, concurrency: 100 };
const TWO_HOSTS = { loginsEach: 200, concurrency: 100 };
/** Longer than the budget membership's renewal (5 s), so both hosts hold their settled share. */
const SHARE_SETTLE_MS = 6_000;
const SYNC_LATENCY_MS = 20;
const SYNC_MEMBERS = 10_000;
/**
 * The bare walk's pace per API: 20 calls in 1.1 s, the same 100 ms guard on the 1-s window as the
 * DingTalk client (budget.ts). Paced at exactly 20/s, network jitter puts 21-23 calls into some
 * 1-s window at the simulator and the extra ones are refused (88).
 */
const BARE_PACE_PER_SECOND = (BUDGET_QPS * 1000) / 1100;
/** The larger org: 100,000 as the issue asks, unless BENCH_SCALE_LARGE says otherwise (see method). */
const LARGE_MEMBERS = Number(process.env.BENCH_SCALE_LARGE ?? 100_000);
const TOKEN_ENDPOINTS: SimEndpoint[] = ['oauth2/accessToken', 'gettoken'];

interface SimProcess {
  service: ChildService;
  url: string;
  client: SimulatorClient;
}

async function startSim(options: { latencyMs: number; generate: unknown }): Promise<SimProcess> {
  const { service, ready } = await forkService(path.join(BENCH_DIST, 'lib', 'sim-process.js'), {
    label: 'simulator',
    args: [JSON.stringify(options)], // no qps: the simulator's default limit
    readyType: 'ready',
    readyTimeoutMs: 180_000,
  });
  const url = String(ready.url);
  return { service, url, client: await connectSimulator(url, { token: String(ready.adminToken) }) };
}

function tokenRequests(counters: Record<SimEndpoint, number>): number {
  return TOKEN_ENDPOINTS.reduce((n, k) => n + (counters[k] ?? 0), 0);
}

/** The busiest second of any API for one app, and of any API over all apps. */
function peaks(rates: SimCallRates, appKey: string): { app: number; appByApi: Partial<Record<SimEndpoint, number>>; all: number; rejected: number } {
  const appByApi = rates.peakPerSecondByApp[appKey] ?? {};
  return {
    app: Math.max(0, ...Object.values(appByApi).map((v) => v ?? 0)),
    appByApi,
    all: Math.max(0, ...Object.values(rates.peakPerSecond)),
    rejected: Object.values(rates.rejected).reduce((n, v) => n + v, 0),
  };
}

async function mintCodes(sim: SimulatorClient, app: LoginApp, count: number, offset = 0): Promise<string[]> {
  const codes: string[] = [];
  for (let i = 0; i < count; i++) codes.push(await sim.mintWorkbenchCode(app.corp.corpId, app.members[(offset + i) % app.members.length].userid));
  return codes;
}

// -- 1. the 9:00 rush ------------------------------------------------------------------------------

async function rush(sim: SimProcess, app: LoginApp, ctx: SuiteContext) {
  resetDatabase(app);
  const host = await startHost({ appDir: app.dir, simUrl: sim.url, logFile: path.join(BENCH_TMP, 'host-scale-rush.log') });
  const client = new RushClient(host.url, RUSH.concurrency);
  try {
    // Warm-up: one login fetches the app token (and creates its user).
    await client.login(app.corp.corpId, (await mintCodes(sim.client, app, 1))[0]);
    const codes = await mintCodes(sim.client, app, RUSH.logins, 1);
    await sim.client.resetCounters();
    const logins: RushLogin[] = [];
    const run = await runClosedLoop(codes, RUSH.concurrency, async (code) => logins.push(await client.login(app.corp.corpId, code)));
    const counters = await sim.client.counters();
    const result = {
      loggedIn: run.count,
      ...refusals(logins),
      wallMs: round(run.wallMs, 1),
      perSecond: round(run.perSecond, 2),
      p50Ms: round(percentile(run.latenciesMs, 50), 1),
      p99Ms: round(percentile(run.latenciesMs, 99), 1),
      tokenRequests: tokenRequests(counters),
      calls: counters,
      peaks: peaks(await sim.client.callRates(), app.dingApp.appKey),
    };
    ctx.progress(`rush: ${result.loggedIn} logged in (${result.firstAttempt} at the first attempt, ${result.refused} refusals), ${result.perSecond}/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, peak ${result.peaks.app}/s per API`);
    return result;
  } finally {
    client.close();
    await host.stop();
  }
}

function refusals(logins: RushLogin[]) {
  const waits = logins.flatMap((l) => l.retryAfter);
  return {
    firstAttempt: logins.filter((l) => l.refused === 0).length,
    refused: logins.reduce((n, l) => n + l.refused, 0),
    retryAfterSeconds: waits.length ? { min: Math.min(...waits), max: Math.max(...waits) } : null,
  };
}

// -- 2. two hosts on one PostgreSQL ---------------------------------------------------------------

async function twoHosts(sim: SimProcess, app: LoginApp, ctx: SuiteContext) {
  const pg = await prepareThrowawayPostgres();
  if ('unavailable' in pg) return { skipped: pg.unavailable };
  const hosts: HostProcess[] = [];
  const clients: RushClient[] = [];
  try {
    const adminUrl = await pg.start();
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE bench_scale');
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = '/bench_scale';
    // One after the other: the first runs the migrations, the second finds them done.
    for (const name of ['a', 'b']) hosts.push(await startHost({ appDir: app.dir, simUrl: sim.url, databaseUrl: url.toString(), logFile: path.join(BENCH_TMP, `host-scale-pg-${name}.log`) }));
    for (const host of hosts) clients.push(new RushClient(host.url, TWO_HOSTS.concurrency));
    // Each host logs one in first (its own app token), as in the rush.
    for (const c of clients) await c.login(app.corp.corpId, (await mintCodes(sim.client, app, 1))[0]);
    // Hosts that have been up a while: each has renewed its share of the budget since the other joined
    // (renewal every 5 s; until then a newcomer may push the app past its budget, as documented).
    await new Promise((r) => setTimeout(r, SHARE_SETTLE_MS));
    const codes = await mintCodes(sim.client, app, 2 * TWO_HOSTS.loginsEach, 7);
    await sim.client.resetCounters();
    const started = nowMs();
    const logins: RushLogin[] = [];
    const runs = await Promise.all(clients.map((c, i) =>
      runClosedLoop(codes.slice(i * TWO_HOSTS.loginsEach, (i + 1) * TWO_HOSTS.loginsEach), TWO_HOSTS.concurrency, async (code) => logins.push(await c.login(app.corp.corpId, code)))));
    const wallMs = nowMs() - started;
    const latencies = runs.flatMap((r) => r.latenciesMs);
    const result = {
      loggedIn: runs.reduce((n, r) => n + r.count, 0),
      ...refusals(logins),
      wallMs: round(wallMs, 1),
      perSecond: round((latencies.length / wallMs) * 1000, 2),
      p50Ms: round(percentile(latencies, 50), 1),
      p99Ms: round(percentile(latencies, 99), 1),
      tokenRequests: tokenRequests(await sim.client.counters()),
      peaks: peaks(await sim.client.callRates(), app.dingApp.appKey),
    };
    ctx.progress(`two hosts on PostgreSQL: ${result.loggedIn} logged in, ${result.perSecond}/s together, peak ${result.peaks.app}/s per API`);
    return result;
  } finally {
    for (const c of clients) c.close();
    for (const h of hosts) await h.stop();
    pg.stop();
  }
}

// -- 3. org sync -----------------------------------------------------------------------------------

interface RssSample {
  s: number;
  rssMiB: number;
  heapMiB: number;
}

/** About `n` evenly spaced samples, the last one kept. */
function downsample<T>(samples: T[], n: number): T[] {
  if (samples.length <= n) return samples;
  const step = samples.length / n;
  const picked = Array.from({ length: n - 1 }, (_, i) => samples[Math.floor(i * step)]);
  return [...picked, samples[samples.length - 1]];
}

interface CliRun {
  code: number | null;
  wallMs: number;
  maxRssBytes: number;
  /** RSS and V8 heap over the run, about 24 samples. */
  rssTrace: RssSample[];
  stdout: string;
  stderr: string;
}

/** `jit org sync` as an operator runs it, in a child process with the RSS probe preloaded. */
function syncOnce(app: SyncApp, sim: SimProcess): Promise<CliRun> {
  const rssFile = path.join(BENCH_TMP, `sync-rss-${process.pid}.json`);
  fs.rmSync(rssFile, { force: true });
  // RSS and heap sampled every second: whether memory levels off or climbs with the org (raw results).
  const env: NodeJS.ProcessEnv = { ...process.env, DINGTALK_OAPI_URL: sim.url, DINGTALK_API_URL: sim.url, DINGTALK_LOGIN_URL: sim.url, BENCH_RSS_FILE: rssFile, BENCH_RSS_TRACE_MS: '1000' };
  delete env.JIT_DATABASE_URL;
  const started = nowMs();
  const child = fork(JIT_CLI, ['org', 'sync', SYNC_CORP, '--app', app.dir, '--json'], {
    // BENCH_SYNC_CPU_PROF=<dir>: a CPU profile of each sync process there (for reading the sync's hot spots).
    execArgv: ['-r', path.join(BENCH_DIST, 'scale', 'rss-probe.js'), ...(process.env.BENCH_SYNC_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SYNC_CPU_PROF}`] : [])],
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString('utf8')).slice(-8000)));
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      const wallMs = nowMs() - started;
      let maxRssBytes = NaN;
      let rssTrace: RssSample[] = [];
      try {
        const probe = JSON.parse(fs.readFileSync(rssFile, 'utf8')) as { maxRssBytes: number; trace?: Array<[number, number, number]> };
        maxRssBytes = probe.maxRssBytes;
        rssTrace = downsample(probe.trace ?? [], 24).map(([t, rss, heap]) => ({ s: round(t, 1), rssMiB: round(rss / 2 ** 20, 1), heapMiB: round(heap / 2 ** 20, 1) }));
      } catch {
        // the probe did not write: reported as NaN
      }
      resolve({ code, wallMs, maxRssBytes, rssTrace, stdout, stderr });
    });
  });
}

function checkSync(run: CliRun, label: string): Record<string, unknown> {
  if (run.code !== 0) throw new Error(`${label}: jit org sync exited ${run.code}\n${run.stdout.slice(-4000)}\n${run.stderr}`);
  // Only the summary's scalar fields and counts (its lists hold up to 100 names each).
  try {
    const full = JSON.parse(run.stdout) as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(full)) {
      if (v === null || typeof v !== 'object') out[k] = v;
      else if (Array.isArray(v)) out[k] = { length: v.length };
      else out[k] = Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x === null || typeof x !== 'object'));
    }
    return out;
  } catch {
    return { stdout: run.stdout.slice(-500) };
  }
}

async function orgSync(ctx: SuiteContext) {
  const app = prepareSyncApp(SYNC_MEMBERS);
  const sim = await startSim({ latencyMs: SYNC_LATENCY_MS, generate: app.org });
  try {
    // Baseline: the bare walk at the same budget, then the bare bulk insert of what it read.
    await sim.client.resetCounters();
    let t = nowMs();
    const walk = await walkOrg({ oapiUrl: sim.url, apiUrl: sim.url, appKey: app.appKey, appSecret: app.appSecret, perSecond: BARE_PACE_PER_SECOND });
    const walkMs = nowMs() - t;
    const walkPeaks = peaks(await sim.client.callRates(), app.appKey);
    t = nowMs();
    await bulkInsert(path.join(BENCH_TMP, 'scale-bulk.db'), app.corpId, walk.members);
    const insertMs = nowMs() - t;
    ctx.progress(`bare walk: ${walk.members.length} members, ${walk.departments} departments, ${walk.calls} calls (${walk.retried} refused and made again) in ${round(walkMs / 1000, 2)} s (peak ${walkPeaks.app}/s); bulk insert ${round(insertMs / 1000, 2)} s`);

    await sim.client.resetCounters();
    const first = await syncOnce(app, sim);
    const firstSummary = checkSync(first, 'first sync');
    const firstPeaks = peaks(await sim.client.callRates(), app.appKey);
    const firstCalls = await sim.client.counters();
    ctx.progress(`sync ${SYNC_MEMBERS}: first run ${round(first.wallMs / 1000, 2)} s, peak RSS ${round(first.maxRssBytes / 2 ** 20, 1)} MiB, peak ${firstPeaks.app}/s per API`);
    await sim.client.resetCounters();
    const second = await syncOnce(app, sim);
    const secondSummary = checkSync(second, 'second sync');
    const secondPeaks = peaks(await sim.client.callRates(), app.appKey);
    ctx.progress(`sync ${SYNC_MEMBERS}: second run ${round(second.wallMs / 1000, 2)} s`);
    return {
      members: SYNC_MEMBERS,
      latencyMs: SYNC_LATENCY_MS,
      bare: { walkMs: round(walkMs, 1), insertMs: round(insertMs, 1), members: walk.members.length, departments: walk.departments, calls: walk.calls, retried: walk.retried, peaks: walkPeaks },
      first: { wallMs: round(first.wallMs, 1), maxRssBytes: first.maxRssBytes, rssTrace: first.rssTrace, peaks: firstPeaks, calls: firstCalls, summary: firstSummary },
      second: { wallMs: round(second.wallMs, 1), maxRssBytes: second.maxRssBytes, peaks: secondPeaks, summary: secondSummary },
    };
  } finally {
    await sim.service.stop();
  }
}

async function largeSync(ctx: SuiteContext) {
  const app = prepareSyncApp(LARGE_MEMBERS);
  const sim = await startSim({ latencyMs: SYNC_LATENCY_MS, generate: app.org });
  try {
    const run = await syncOnce(app, sim);
    const summary = checkSync(run, `sync of ${LARGE_MEMBERS}`);
    const runPeaks = peaks(await sim.client.callRates(), app.appKey);
    ctx.progress(`sync ${LARGE_MEMBERS}: ${round(run.wallMs / 1000, 1)} s, peak RSS ${round(run.maxRssBytes / 2 ** 20, 1)} MiB`);
    return { members: LARGE_MEMBERS, wallMs: round(run.wallMs, 1), maxRssBytes: run.maxRssBytes, rssTrace: run.rssTrace, peaks: runPeaks, summary };
  } finally {
    await sim.service.stop();
  }
}

// -- figures ---------------------------------------------------------------------------------------

type Rush = Awaited<ReturnType<typeof rush>>;
type TwoHosts = Awaited<ReturnType<typeof twoHosts>>;
type Sync = Awaited<ReturnType<typeof orgSync>>;
type Large = Awaited<ReturnType<typeof largeSync>>;

function buildFigures(r: Rush, two: TwoHosts, sync: Sync, large: Large | undefined): Figure[] {
  const budget = { label: 'the budget: 20 calls/s per API, 1 call per API per login', value: BUDGET_QPS, unit: 'logins/s' };
  const figures: Figure[] = [
    figure({ id: 'scale.rush.loggedIn', label: `9:00 rush: LOGGED_IN of ${RUSH.logins} (one address, ${RUSH.concurrency} at once; refused ones tried again after Retry-After)`, value: r.loggedIn, unit: '', goal: goal('value', '==', RUSH.logins, `all ${RUSH.logins}`) }),
    figure({ id: 'scale.rush.firstAttempt', label: `9:00 rush: LOGGED_IN at the first attempt (the others: 503 DINGTALK_RATE_LIMITED, ${r.refused} refusals in all)`, value: r.firstAttempt, unit: '', goal: goal('value', '==', RUSH.logins, `all ${RUSH.logins}`) }),
    figure({ id: 'scale.rush.tokenRequests', label: '9:00 rush: app-token requests during the rush (after a warm-up login)', value: r.tokenRequests, unit: '', goal: goal('value', '==', 0, '0') }),
    figure({ id: 'scale.rush.throughput', label: '9:00 rush: workbench logins/s', value: r.perSecond, unit: 'logins/s', baseline: budget, goal: goal('ratio', '>=', 0.7, '>= 0.7x the budget (14/s)') }),
    figure({ id: 'scale.rush.p50', label: '9:00 rush: login p50', value: r.p50Ms, unit: 'ms' }),
    figure({ id: 'scale.rush.p99', label: '9:00 rush: login p99', value: r.p99Ms, unit: 'ms' }),
    figure({ id: 'scale.rush.peak', label: '9:00 rush: busiest second of any API at the simulator', value: r.peaks.app, unit: 'calls/s', goal: goal('value', '<=', BUDGET_QPS, `<= ${BUDGET_QPS}`) }),
  ];
  if ('skipped' in two) {
    figures.push(figure({ id: 'scale.twoHosts.peak', label: `Two hosts on one PostgreSQL: skipped (${two.skipped})`, value: NaN, unit: '' }));
  } else {
    figures.push(
      figure({ id: 'scale.twoHosts.loggedIn', label: `Two hosts on one PostgreSQL: LOGGED_IN of ${2 * TWO_HOSTS.loginsEach} (${TWO_HOSTS.loginsEach} each, at once; refused ones tried again)`, value: two.loggedIn, unit: '', goal: goal('value', '==', 2 * TWO_HOSTS.loginsEach, `all ${2 * TWO_HOSTS.loginsEach}`) }),
      figure({ id: 'scale.twoHosts.firstAttempt', label: `Two hosts on one PostgreSQL: LOGGED_IN at the first attempt (${two.refused} refusals in all)`, value: two.firstAttempt, unit: '', goal: goal('value', '==', 2 * TWO_HOSTS.loginsEach, `all ${2 * TWO_HOSTS.loginsEach}`) }),
      figure({ id: 'scale.twoHosts.peak', label: 'Two hosts on one PostgreSQL: busiest second of any API for the app', value: two.peaks.app, unit: 'calls/s', goal: goal('value', '<=', BUDGET_QPS, `<= ${BUDGET_QPS}`) }),
      figure({ id: 'scale.twoHosts.throughput', label: 'Two hosts on one PostgreSQL: workbench logins/s together', value: two.perSecond, unit: 'logins/s', baseline: budget }),
    );
  }
  const bareMs = sync.bare.walkMs + sync.bare.insertMs;
  const n = SYNC_MEMBERS.toLocaleString('en-US');
  figures.push(
    figure({ id: 'scale.sync.first', label: `Org sync of ${n} members, first run (20 ms per call, 20 QPS)`, value: round(sync.first.wallMs / 1000, 2), unit: 's', baseline: { label: 'bare walk + bare SQLite bulk insert', value: round(bareMs / 1000, 2), unit: 's' }, goal: goal('ratio', '<=', 1.5, '<= 1.5x baseline') }),
    figure({ id: 'scale.sync.second', label: `Org sync of ${n} members, second run, nothing changed`, value: round(sync.second.wallMs / 1000, 2), unit: 's', baseline: { label: 'bare walk alone', value: round(sync.bare.walkMs / 1000, 2), unit: 's' }, goal: goal('ratio', '<=', 1.2, '<= 1.2x baseline') }),
    figure({ id: 'scale.sync.peak', label: `Org sync of ${n} members: busiest second of any API (first run)`, value: sync.first.peaks.app, unit: 'calls/s', goal: goal('value', '<=', BUDGET_QPS, `<= ${BUDGET_QPS}`) }),
    figure({ id: 'scale.sync.rss', label: `Org sync of ${n} members: peak RSS of the sync process (first run)`, value: sync.first.maxRssBytes, unit: 'B' }),
  );
  if (large) {
    const L = large.members.toLocaleString('en-US');
    figures.push(
      figure({ id: 'scale.syncLarge.time', label: `Org sync of ${L} members, first run`, value: round(large.wallMs / 1000, 1), unit: 's' }),
      figure({ id: 'scale.syncLarge.rss', label: `Org sync of ${L} members: peak RSS`, value: large.maxRssBytes, unit: 'B', baseline: { label: `${n} members, same run`, value: sync.first.maxRssBytes, unit: 'B' }, goal: goal('ratio', '<=', 2, '<= 2x (a small constant)') }),
    );
  }
  return figures;
}

async function run(ctx: SuiteContext): Promise<SuiteOutput> {
  const loginApp = prepareLoginApp('scale-login-app');
  const sim = await startSim({ latencyMs: 0, generate: LOGIN_ORG });
  let r: Rush;
  let two: TwoHosts;
  try {
    r = await rush(sim, loginApp, ctx);
    two = await twoHosts(sim, loginApp, ctx);
  } finally {
    await sim.service.stop();
  }
  const sync = await orgSync(ctx);
  const large = LARGE_MEMBERS > 0 ? await largeSync(ctx) : undefined;
  return {
    title: 'Scale: the per-app DingTalk budget (20 QPS)',
    figures: buildFigures(r, two, sync, large),
    raw: { budgetQps: BUDGET_QPS, rush: { ...RUSH, ...r }, twoHosts: { ...TWO_HOSTS, ...two }, sync, large },
    method: [
      `The simulator runs in its own process with its default limits on: ${BUDGET_QPS} calls per second per app per API (oapi errcode 88 / sub_code 90018 beyond that), as DingTalk's free tier. The busiest second is the simulator's own count (\`GET /__sim/counters/rates\`: the most calls one app made to one API within any 1-s window), read after each timed part.`,
      `9:00 rush: one \`jit serve\` (SQLite file, fresh), ${LOGIN_ORG.members}-member corp, no added latency; one warm-up login (the app token), then ${RUSH.logins} workbench logins by ${RUSH.concurrency} closed-loop workers from one client address (no X-Forwarded-For; the host's flood limit is 3600 a minute per address). A login the host refuses (503 DINGTALK_RATE_LIMITED: its login lane would wait past 5 s for a DingTalk slot) is tried again after the Retry-After it sent, as a person pressing "try again" would; time, latency and throughput include those waits. A workbench login is 2 DingTalk calls on 2 APIs (getuserinfo, user/get), so the budget allows at most 20 logins/s: the throughput's baseline.`,
      `Two hosts: two \`jit serve\` processes on one PostgreSQL database (a throwaway cluster started with initdb/pg_ctl, as the tests do), each warmed with one login and left ${SHARE_SETTLE_MS / 1000} s to renew its share of the budget (hosts up since before the rush; a host that joins mid-rush may push the app past the budget until the others renew, every 5 s, as budget-membership.ts says), then ${TWO_HOSTS.loginsEach} logins each at the same time (${TWO_HOSTS.concurrency} workers per host). The goal is the app's busiest second at DingTalk: the two hosts share one budget through the database.`,
      `Org sync: a generated corp of ${SYNC_MEMBERS.toLocaleString('en-US')} members (depth 3, breadth 4), ${SYNC_LATENCY_MS} ms added to every DingTalk call; \`jit org sync ${SYNC_CORP} --json\` as a child process on a fresh SQLite file, run twice (the second with nothing changed). Its peak RSS is the process's maxRSS (VmHWM), written at exit by a preloaded probe, which also samples RSS and the V8 heap every second (\`rssTrace\` in the raw results: whether memory levels off or climbs as members are written).`,
      `The sync baseline, same run and simulator: a bare client (axios, a token bucket per API at 20 calls per 1.1 s: the client's own 100 ms guard, without which jitter puts more than 20 into some second) that walks the same tree (department/listsub breadth first, then every department's user/list pages of 100, 8 departments side by side), plus a bare SQLite bulk insert of as many users and bindings (one transaction, 100-row INSERTs, WAL).`,
      `The larger org: ${LARGE_MEMBERS.toLocaleString('en-US')} members synced once, same latency and budget, for its time and peak RSS against the ${SYNC_MEMBERS.toLocaleString('en-US')}-member run.`,
    ],
  };
}

if (require.main === module) runSuiteInChild('scale', run);
