/**
 * CLI start-up suite: `jit --help` and `jit --version` as whole processes, against a bare `node -e 0`
 * started the same way in the same run (issue #17: "under 150 ms" means at most 2x a bare Node start).
 * The runs alternate (node, help, version, node, ...) so a drift of the machine's speed hits all three.
 */
import { spawnSync } from 'child_process';
import { figure, goal } from '../lib/figures';
import { JIT_CLI } from '../lib/paths';
import { median, nowMs, round } from '../lib/stats';
import { runSuiteInChild, type SuiteContext, type SuiteOutput } from '../lib/suite';

const RUNS = 25;
const WARMUP = 3;

function timeProcess(args: string[]): number {
  const started = nowMs();
  const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
  const elapsed = nowMs() - started;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
  return elapsed;
}

async function run(ctx: SuiteContext): Promise<SuiteOutput> {
  const commands = { bare: ['-e', '0'], help: [JIT_CLI, '--help'], version: [JIT_CLI, '--version'] };
  const samples: Record<keyof typeof commands, number[]> = { bare: [], help: [], version: [] };
  for (let i = 0; i < WARMUP + RUNS; i++) {
    for (const [name, args] of Object.entries(commands) as [keyof typeof commands, string[]][]) {
      const ms = timeProcess(args);
      if (i >= WARMUP) samples[name].push(ms);
    }
  }
  ctx.progress(`bare node ${round(median(samples.bare))} ms, --help ${round(median(samples.help))} ms`);
  const baseline = { label: 'bare `node -e 0`', value: round(median(samples.bare)), unit: 'ms' };
  const target = goal('ratio', '<=', 2, '<= 2x a bare Node start');
  return {
    title: 'CLI start-up',
    figures: [
      figure({ id: 'cli.help', label: '`jit --help`, whole process (median)', value: round(median(samples.help)), unit: 'ms', baseline, goal: target }),
      figure({ id: 'cli.version', label: '`jit --version`, whole process (median)', value: round(median(samples.version)), unit: 'ms', baseline, goal: target }),
    ],
    raw: { runs: RUNS, warmup: WARMUP, samples },
    method: [
      `${RUNS} runs of each after ${WARMUP} warm-up rounds, alternating bare node, --help, --version; wall time of the whole process, median.`,
      'The commands list the other commands by summary alone and load no command module (tests/cli/startup.test.ts checks that neither typeorm nor fastify is required).',
    ],
  };
}

runSuiteInChild('cli', run);
