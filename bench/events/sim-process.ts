/**
 * Child process: the DingTalk simulator on its own for the events suite (a generated org, Stream mode
 * on), sending its URL and admin token over IPC.
 *
 *   node sim-process.js '{"latencyMs": 20, "generate": {"members": 200}}'
 */
import { generateOrg, startSimulator, type GenerateOrgOptions } from '../../sim';

interface SimProcessOptions {
  latencyMs: number;
  generate: GenerateOrgOptions;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as SimProcessOptions;
  const sim = await startSimulator({
    latencyMs: options.latencyMs,
    org: generateOrg(options.generate),
    seed: 1,
    // Needs no throttle: measures the latency of each event (paced at DingTalk's own 20 a second), not DingTalk's limit.
    qps: 'off',
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
