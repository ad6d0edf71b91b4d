/**
 * Child process: the DingTalk simulator on its own, for the login, scale and events suites (`jit sim`
 * does the same; this entry exists so a suite gets the URL and admin token over IPC instead of
 * parsing console output). Stream mode is on, as in every simulator.
 *
 *   node sim-process.js '{"latencyMs": 20, "generate": {"members": 500}, "qps": 20}'
 */
import { generateOrg, startSimulator, type GenerateOrgOptions } from '../../sim';

interface SimProcessOptions {
  latencyMs: number;
  /** Generate the org (deterministic: the suite generates the same one); default the demo org. */
  generate?: GenerateOrgOptions;
  /** DingTalk's per-app per-API limit; default the simulator's own (20 QPS, as DingTalk's free tier). */
  qps?: number | 'off';
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as SimProcessOptions;
  const sim = await startSimulator({
    latencyMs: options.latencyMs,
    org: options.generate ? generateOrg(options.generate) : undefined,
    seed: 1,
    qps: options.qps,
  });
  process.send?.({ type: 'ready', url: sim.url, adminToken: sim.adminToken });
  const stop = () => {
    void sim.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
}

main().catch((err: unknown) => {
  process.send?.({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  process.exitCode = 1;
});
