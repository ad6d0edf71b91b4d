/**
 * The DingTalk simulator: a local HTTP server that behaves like DingTalk for the login and org-sync
 * calls in docs/dingtalk-facts.md (same paths, casing, error shapes and codes, lifetimes, paging limits).
 *
 *   const sim = await startSimulator();            // demo org, free port, 20 QPS per app per API
 *   loadApp(dir, { env: simulatorEnv(sim) });       // DINGTALK_*_URL: the simulator's hosts
 *   const code = sim.mintWorkbenchCode(corpId, 'zhangsan');
 *   await sim.close();
 *
 * Its limits are DingTalk's, on by default: a test or benchmark that does not test throttling and
 * would trip them passes `qps: 'off'` with a comment saying why.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_TOKEN_ENV } from './admin-client';
import { loadDemoOrg, validateOrg } from './org';
import { createRequestListener } from './server';
import { Simulator } from './simulator';
import { createStreamUpgradeHandler } from './stream/upgrade';
import type { SimulatorHandle, SimulatorOptions } from './types';

export * from './types';
export * from './stream/types';
export { type SimStreamClient } from './stream/admin-client';
export { loadOrgFile, loadDemoOrg, validateOrg, DEMO_ORG_FILE } from './org';
export { generateOrg, type GenerateOrgOptions } from './generate-org';
export { simulatorEnv, type SimulatorEnv } from './env';
export { connectSimulator, ADMIN_TOKEN_ENV, type SimulatorClient, type ConnectSimulatorOptions } from './admin-client';
export type { SimOrgSummary, SimMemberPatch } from './simulator';

/** Starts the simulator; resolves once it listens. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  // A private copy: the indexes are built once, so later edits to the caller's object must not
  // half-apply.
  const org = options.org ? structuredClone(validateOrg(options.org, 'SimulatorOptions.org')) : loadDemoOrg();
  const sim = new Simulator(org, {
    latencyMs: options.latencyMs,
    seed: options.seed,
    qps: options.qps,
    // A fixed token both processes know (`jit serve --sim` and a script driving its simulator), else random.
    adminToken: options.adminToken ?? (process.env[ADMIN_TOKEN_ENV] || undefined),
    pageOrigins: options.pageOrigins,
    rateClock: options.rateClock,
    stream: options.stream,
  });
  const server = http.createServer(createRequestListener(sim));
  // Stream mode's WebSocket endpoint shares the port (sim/stream/upgrade.ts).
  const upgrade = createStreamUpgradeHandler(sim.stream);
  server.on('upgrade', upgrade);
  // Benchmarks keep many connections alive; don't let Node's defaults cut them mid-run.
  server.keepAliveTimeout = 30_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${urlHost(host)}:${port}`;
  sim.admin.listeningOn(host, port);

  let closing: Promise<void> | undefined;
  return {
    url,
    adminToken: sim.admin.token,
    oapiUrl: url,
    apiUrl: url,
    loginUrl: url,
    get org() {
      return sim.org;
    },
    mintWorkbenchCode: (corpId, userid) => sim.mintWorkbenchCode(corpId, userid),
    mintQrCode: (appKey, unionid, opts) => sim.mintQrCode(appKey, unionid, opts),
    counters: () => sim.counters(),
    callRates: () => sim.callRates(),
    resetCounters: () => sim.resetCounters(),
    allowPageOrigin: (origin) => sim.pageOrigins.allow(origin),
    injectFault: (fault) => sim.injectFault(fault),
    clearFaults: () => sim.clearFaults(),
    revokeTokens: () => sim.revokeTokens(),
    advanceClock: (ms) => sim.advanceClock(ms),
    updateMember: (corpId, userid, patch) => sim.updateMember(corpId, userid, patch),
    removeMember: (corpId, userid) => sim.removeMember(corpId, userid),
    addMember: (corpId, member) => sim.addMember(corpId, member),
    addDepartment: (corpId, department) => sim.addDepartment(corpId, department),
    updateDepartment: (corpId, deptId, patch) => sim.updateDepartment(corpId, deptId, patch),
    removeDepartment: (corpId, deptId) => sim.removeDepartment(corpId, deptId),
    stream: sim.stream,
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        sim.stream.close();
        upgrade.close();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      })),
  };
}

/** A wildcard listen address is reached through loopback; IPv6 literals need brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
