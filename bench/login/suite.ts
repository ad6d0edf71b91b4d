/**
 * Login suite: workbench and QR logins through `jit serve` (SQLite file database) against the
 * simulator in its own process, 16 concurrent users, against a bare client that makes only the same
 * DingTalk calls, and a naive client that also fetches the app token for every login.
 *
 * Two phases: the simulator adding 20 ms to every DingTalk call (throughput, latency, calls per
 * login), then adding nothing (the host's CPU time per login, when DingTalk's latency hides nothing).
 */
import * as path from 'path';
import { connectSimulator, type SimEndpoint, type SimulatorClient } from '../../sim';
import { forkService } from '../lib/child-process';
import { figure, goal, type Figure } from '../lib/figures';
import { BENCH_DIST } from '../lib/paths';
import { mean, percentile, round } from '../lib/stats';
import { runSuiteInChild, type SuiteContext, type SuiteOutput } from '../lib/suite';
import { BareDingTalkClient } from './bare-dingtalk-client';
import { startHost, type HostProcess } from './host-process';
import { HostLoginClient } from './host-login-client';
import { runClosedLoop, type LoadRun } from './load';
import { LOGIN_ORG, prepareLoginApp, resetDatabase, type LoginApp } from './login-app';

const CONCURRENCY = 16;
const REALISTIC_LATENCY_MS = 20;
/**
 * Timed logins per scenario (at most; codes are minted for this many) and the time limit of a
 * scenario: the count gives a p99 with >= 10 samples above it, the limit bounds the suite's time on
 * a slow or busy machine (the run then reports what completed).
 */
const COUNTS = {
  [REALISTIC_LATENCY_MS]: { workbench: 1500, qr: 1000 },
  0: { workbench: 2500, qr: 1500 },
} as const;
const MAX_SCENARIO_MS = { [REALISTIC_LATENCY_MS]: 5000, 0: 4000 } as const;
/** Each scenario runs in this many rounds, alternating with the other clients' (limits are split). */
const ROUNDS = 2;
const TOKEN_ENDPOINTS: SimEndpoint[] = ['oauth2/accessToken', 'gettoken'];

type Flow = 'workbench' | 'qr';
type ClientKind = 'host' | 'bare' | 'naive';

interface Scenario {
  flow: Flow;
  client: ClientKind;
  latencyMs: number;
  count: number;
  /** The scenario's time limit ended it before every minted code was used. */
  timeLimited: boolean;
  wallMs: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  /** DingTalk calls the simulator counted during the timed run, per endpoint. */
  calls: Partial<Record<SimEndpoint, number>>;
  callsPerLogin: number;
  tokenRequests: number;
  /** CPU time of the process doing the work (the host; for bare/naive the client itself). */
  cpuMsPerLogin: number;
}

interface Phase {
  latencyMs: number;
  scenarios: Scenario[];
  /** App-token requests the host made over its whole life (cold start included). */
  hostTokenRequests: number;
  /** Logins the host served over its life (warm-up included). */
  hostLogins: number;
  /** The cold start through the host: every member's first workbench login (creates the users). */
  coldStart: { logins: number; perSecond: number; p50Ms: number; p99Ms: number };
}

const sum = (counts: Partial<Record<SimEndpoint, number>>, only?: SimEndpoint[]) =>
  Object.entries(counts).reduce((n, [k, v]) => n + (only && !only.includes(k as SimEndpoint) ? 0 : v ?? 0), 0);

function diff(after: Record<SimEndpoint, number>, before: Record<SimEndpoint, number>): Partial<Record<SimEndpoint, number>> {
  const out: Partial<Record<SimEndpoint, number>> = {};
  for (const key of Object.keys(after) as SimEndpoint[]) {
    const d = after[key] - (before[key] ?? 0);
    if (d !== 0) out[key] = d;
  }
  return out;
}

/** Codes minted through the simulator's admin surface before timing, cycling through the members. */
async function mintCodes(sim: SimulatorClient, app: LoginApp, flow: Flow, count: number): Promise<string[]> {
  const codes: string[] = new Array(count);
  const indexes = Array.from({ length: count }, (_, i) => i);
  await runClosedLoop(indexes, CONCURRENCY, async (i) => {
    const member = app.members[i % app.members.length];
    codes[i] = flow === 'workbench'
      ? await sim.mintWorkbenchCode(app.corp.corpId, member.userid)
      : await sim.mintQrCode(app.dingApp.appKey, member.unionid, { corpId: app.corp.corpId });
  });
  return codes;
}

function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function runPhase(app: LoginApp, latencyMs: number, clients: ClientKind[], ctx: SuiteContext): Promise<Phase> {
  const { service: simProcess, ready } = await forkService(path.join(BENCH_DIST, 'login', 'sim-process.js'), {
    label: 'simulator',
    args: [JSON.stringify({ latencyMs, generate: LOGIN_ORG })],
    readyType: 'ready',
  });
  const simUrl = String(ready.url);
  const sim = await connectSimulator(simUrl);
  const common = { oapiUrl: sim.oapiUrl, apiUrl: sim.apiUrl, appKey: app.dingApp.appKey, appSecret: app.dingApp.appSecret, maxSockets: CONCURRENCY };
  const bare = new BareDingTalkClient(common);
  const naive = new BareDingTalkClient({ ...common, tokenPerLogin: true });
  let host: HostProcess | undefined;
  let hostClient: HostLoginClient | undefined;
  try {
    resetDatabase(app);
    await sim.resetCounters();
    host = await startHost({ appDir: app.dir, simUrl, trustProxy: true });
    hostClient = new HostLoginClient(host.url, CONCURRENCY);
    const hc = hostClient;
    let hostLogins = 0;

    // Cold start: every member logs in (creating local users), 16 at once from the first request, so
    // the first 16 logins all need the app token at the same moment.
    const warmCount = Math.max(4 * CONCURRENCY, app.members.length);
    const warmWb = await mintCodes(sim, app, 'workbench', warmCount);
    const coldRun = await runClosedLoop(warmWb, CONCURRENCY, (code) => hc.workbenchLogin(app.corp.corpId, code));
    const coldStart = { logins: coldRun.count, perSecond: round(coldRun.perSecond, 1), p50Ms: round(percentile(coldRun.latenciesMs, 50), 1), p99Ms: round(percentile(coldRun.latenciesMs, 99), 1) };
    const warmQr = await mintCodes(sim, app, 'qr', 2 * CONCURRENCY);
    await runClosedLoop(warmQr, CONCURRENCY, (code) => hc.qrLogin(code));
    hostLogins += warmWb.length + warmQr.length;
    let hostTokenRequests = sum(await sim.counters(), TOKEN_ENDPOINTS);
    // Warm the suite's own client code the same way, outside the counted runs.
    for (const client of [bare, naive]) {
      await runClosedLoop(await mintCodes(sim, app, 'workbench', 2 * CONCURRENCY), CONCURRENCY, (c) => client.workbenchLogin(c));
      await runClosedLoop(await mintCodes(sim, app, 'qr', 2 * CONCURRENCY), CONCURRENCY, (c) => client.qrLogin(c));
    }

    const loginFunction = (client: ClientKind, flow: Flow): ((code: string) => Promise<unknown>) => {
      if (client === 'host') return flow === 'workbench' ? (c) => hc.workbenchLogin(app.corp.corpId, c) : (c) => hc.qrLogin(c);
      const direct = client === 'bare' ? bare : naive;
      return flow === 'workbench' ? (c) => direct.workbenchLogin(c) : (c) => direct.qrLogin(c);
    };
    const scenarios: Scenario[] = [];
    const limits = { count: COUNTS[latencyMs as keyof typeof COUNTS], ms: MAX_SCENARIO_MS[latencyMs as keyof typeof MAX_SCENARIO_MS] };
    for (const flow of ['workbench', 'qr'] as Flow[]) {
      const samples = new Map<ClientKind, Sample[]>(clients.map((c) => [c, []]));
      // Rounds alternate the clients, so a change in the machine's load falls on all of them.
      for (let pass = 0; pass < ROUNDS; pass++) {
        for (const client of clients) {
          const codes = await mintCodes(sim, app, flow, Math.ceil(limits.count[flow] / ROUNDS));
          const login = loginFunction(client, flow);
          const cpu = client === 'host' ? () => host!.cpuMs() : async () => processCpuMs();
          const before = await sim.counters();
          const cpu0 = await cpu();
          const run = await runClosedLoop(codes, CONCURRENCY, login, { maxDurationMs: limits.ms / ROUNDS });
          const cpu1 = await cpu();
          samples.get(client)!.push({ run, cpuMs: cpu1 - cpu0, calls: diff(await sim.counters(), before) });
        }
      }
      for (const client of clients) {
        const scenario = summariseScenario(flow, client, latencyMs, samples.get(client)!);
        if (client === 'host') {
          hostTokenRequests += scenario.tokenRequests;
          hostLogins += scenario.count;
        }
        scenarios.push(scenario);
        ctx.progress(`${latencyMs} ms, ${flow}, ${client}: ${scenario.perSecond} logins/s, p50 ${scenario.p50Ms} ms, p99 ${scenario.p99Ms} ms, ` +
          `${scenario.callsPerLogin} calls/login, CPU ${scenario.cpuMsPerLogin} ms/login`);
      }
    }
    return { latencyMs, scenarios, hostTokenRequests, hostLogins, coldStart };
  } finally {
    hostClient?.close();
    bare.close();
    naive.close();
    await host?.stop();
    await simProcess.stop();
  }
}

interface Sample {
  run: LoadRun;
  cpuMs: number;
  calls: Partial<Record<SimEndpoint, number>>;
}

/** One scenario's figures from its rounds: logins and time add up, latencies pool. */
function summariseScenario(flow: Flow, client: ClientKind, latencyMs: number, samples: Sample[]): Scenario {
  const count = samples.reduce((n, s) => n + s.run.count, 0);
  const wallMs = samples.reduce((n, s) => n + s.run.wallMs, 0);
  const latencies = samples.flatMap((s) => s.run.latenciesMs);
  const calls: Partial<Record<SimEndpoint, number>> = {};
  for (const s of samples) for (const [k, v] of Object.entries(s.calls)) calls[k as SimEndpoint] = (calls[k as SimEndpoint] ?? 0) + (v ?? 0);
  return {
    flow,
    client,
    latencyMs,
    count,
    timeLimited: samples.some((s) => s.run.timeLimited),
    wallMs: round(wallMs, 1),
    perSecond: round((count / wallMs) * 1000, 1),
    p50Ms: round(percentile(latencies, 50), 2),
    p99Ms: round(percentile(latencies, 99), 2),
    meanMs: round(mean(latencies), 2),
    calls,
    callsPerLogin: round(sum(calls) / count, 3),
    tokenRequests: sum(calls, TOKEN_ENDPOINTS),
    cpuMsPerLogin: round(samples.reduce((n, s) => n + s.cpuMs, 0) / count, 3),
  };
}

function find(phase: Phase, flow: Flow, client: ClientKind): Scenario {
  const s = phase.scenarios.find((x) => x.flow === flow && x.client === client);
  if (!s) throw new Error(`no ${flow}/${client} scenario at ${phase.latencyMs} ms`);
  return s;
}

function buildFigures(real: Phase, zero: Phase): Figure[] {
  const figures: Figure[] = [];
  const flowLabel = { workbench: 'Workbench', qr: 'QR' } as const;
  const flowWord = { workbench: 'workbench', qr: 'QR' } as const;
  for (const flow of ['workbench', 'qr'] as Flow[]) {
    const host = find(real, flow, 'host');
    const bare = find(real, flow, 'bare');
    const naive = find(real, flow, 'naive');
    const L = flowLabel[flow];
    figures.push(figure({
      id: `login.${flow}.throughput`,
      label: `${L} logins/s, 20 ms DingTalk latency`,
      value: host.perSecond,
      unit: 'logins/s',
      baseline: { label: 'bare client', value: bare.perSecond, unit: 'logins/s' },
      goal: goal('ratio', '>=', 0.8, '>= 0.8x baseline'),
    }));
    figures.push(figure({
      id: `login.${flow}.p50`,
      label: `${L} login p50, 20 ms`,
      value: host.p50Ms,
      unit: 'ms',
      baseline: { label: 'bare client', value: bare.p50Ms, unit: 'ms' },
    }));
    figures.push(figure({
      id: `login.${flow}.p99`,
      label: `${L} login p99, 20 ms`,
      value: host.p99Ms,
      unit: 'ms',
      baseline: { label: 'bare client', value: bare.p99Ms, unit: 'ms' },
    }));
    figures.push(figure({
      id: `login.${flow}.naiveThroughput`,
      label: `${L} logins/s of the naive client (token per login), 20 ms`,
      value: naive.perSecond,
      unit: 'logins/s',
      baseline: { label: 'bare client', value: bare.perSecond, unit: 'logins/s' },
    }));
  }
  for (const flow of ['workbench', 'qr'] as Flow[]) {
    const host = find(zero, flow, 'host');
    const bare = find(zero, flow, 'bare');
    figures.push(figure({
      id: `login.${flow}.cpu`,
      label: `Host CPU per ${flowWord[flow]} login, no added latency`,
      value: host.cpuMsPerLogin,
      unit: 'ms',
      baseline: { label: 'bare client\'s own CPU', value: bare.cpuMsPerLogin, unit: 'ms' },
      goal: flow === 'workbench' ? goal('value', '<', 2, '< 2 ms') : undefined,
    }));
    figures.push(figure({
      id: `login.${flow}.throughput0`,
      label: `${flowLabel[flow]} logins/s, no added latency`,
      value: host.perSecond,
      unit: 'logins/s',
      baseline: { label: 'bare client', value: bare.perSecond, unit: 'logins/s' },
    }));
  }
  const expectedCalls = { workbench: 2, qr: 4 } as const;
  for (const flow of ['workbench', 'qr'] as Flow[]) {
    const host = find(real, flow, 'host');
    const naive = find(real, flow, 'naive');
    figures.push(figure({
      id: `login.${flow}.calls`,
      label: `DingTalk calls per ${flowWord[flow]} login`,
      value: host.callsPerLogin,
      unit: '',
      baseline: { label: 'naive client', value: naive.callsPerLogin, unit: '' },
      goal: goal('value', '==', expectedCalls[flow], `${expectedCalls[flow]}`),
    }));
  }
  figures.push(figure({
    id: 'login.tokenRequests',
    label: `App-token requests over the host's life (${real.hostLogins.toLocaleString('en-US')} logins, 16 concurrent from a cold start)`,
    value: real.hostTokenRequests,
    unit: '',
    baseline: {
      label: 'naive client, same timed logins',
      value: find(real, 'workbench', 'naive').tokenRequests + find(real, 'qr', 'naive').tokenRequests,
      unit: '',
    },
    ratio: null,
    goal: goal('value', '==', 1, '1 per token lifetime'),
  }));
  return figures;
}

async function run(ctx: SuiteContext): Promise<SuiteOutput> {
  const app = prepareLoginApp();
  ctx.progress(`app ${app.dir}, ${app.members.length} members of ${app.corp.name}`);
  const real = await runPhase(app, REALISTIC_LATENCY_MS, ['bare', 'host', 'naive'], ctx);
  const zero = await runPhase(app, 0, ['bare', 'host'], ctx);
  return {
    title: 'Login path',
    figures: buildFigures(real, zero),
    raw: { concurrency: CONCURRENCY, maxCounts: COUNTS, maxScenarioMs: MAX_SCENARIO_MS, org: LOGIN_ORG, phases: [real, zero] },
    method: [
      'The simulator runs in its own process (20 ms added to every DingTalk call, then none); the host is `jit serve` in its own process with its default SQLite file database (fresh per phase), configured through DINGTALK_* env variables; the load generator is the suite process.',
      'Each login comes from its own client address (X-Forwarded-For, host started with --trust-proxy as behind a reverse proxy): the host limits login attempts per address (60 a minute), which one benchmark address would hit at once.',
      `${CONCURRENCY} closed-loop workers per scenario, up to ${COUNTS[REALISTIC_LATENCY_MS].workbench} workbench / ${COUNTS[REALISTIC_LATENCY_MS].qr} QR logins or ${MAX_SCENARIO_MS[REALISTIC_LATENCY_MS] / 1000} s at 20 ms (${COUNTS[0].workbench} / ${COUNTS[0].qr} or ${MAX_SCENARIO_MS[0] / 1000} s at 0 ms), whichever comes first; codes are minted through the simulator's admin surface before each timed run. A QR login is two host calls (getLoginConfig for a state, then getLoginCode); a workbench login is one (loginByWorkbench).`,
      'Before the timed runs every member logs in once through the host, 16 at a time from a cold start (first logins create the local users; the first 16 race for the app token), so timed logins bind existing users.',
      `The bare client makes only the DingTalk calls (axios, keep-alive): workbench getuserinfo + user/get, QR userAccessToken + users/me + getbyunionid + user/get, app token cached; the naive client also fetches the app token for every login. Each flow runs in ${ROUNDS} rounds of bare, host, naive (the count and time limits split between rounds), so a change in the machine's load falls on every client.`,
      "DingTalk calls are the simulator's per-endpoint counters during each timed run. Host CPU is process.cpuUsage() (all threads) of the `jit serve` process over the timed run, read through a preloaded probe; the bare client's CPU is the suite process's.",
    ],
  };
}

if (require.main === module) runSuiteInChild('login', run);
