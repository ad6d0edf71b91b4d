/**
 * Child process: the DingTalk simulator on its own, as the issue asks (`jit sim` does the same; this
 * entry exists so the suite gets the URL over IPC instead of parsing console output).
 *
 *   node sim-process.js '{"latencyMs": 20, "orgFile": "..."}'
 */
import { loadOrgFile, startSimulator } from '../../sim';

interface SimProcessOptions {
  latencyMs: number;
  /** An org JSON file (see sim/orgs); default the built-in demo org. */
  orgFile?: string;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as SimProcessOptions;
  const sim = await startSimulator({
    latencyMs: options.latencyMs,
    org: options.orgFile ? loadOrgFile(options.orgFile) : undefined,
    seed: 1,
  });
  process.send?.({ type: 'ready', url: sim.url });
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
