/**
 * How long `jit validate` takes on an app of 1,000 DDInnerType instances (measured, not asserted).
 *
 *   npm run build && node dist/bench/validate-1000.js
 *
 * Prints three figures: the validate command's work in-process (cold: first run in the process, with
 * schema compilation; warm: median of later runs), and the whole `jit validate` command as a user
 * runs it (a fresh node process, startup and module loading included), when dist/ is built.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { validateApp } from '../cli/commands/validate';
import { generateLoaderApp } from './loader/generate-app';
import { JIT_CLI } from './lib/paths';
import { median, nowMs } from './lib/stats';

const INSTANCES = 1000;
const WARM_RUNS = 7;

function timeInProcess(dir: string): number {
  const start = nowMs();
  const report = validateApp(dir);
  const ms = nowMs() - start;
  const errors = report.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`the generated app has ${errors.length} errors, first: ${errors[0].code} ${errors[0].message}`);
  return ms;
}

/** Wall time of `node dist/cli/main.js validate`, or why it could not be measured. */
function timeCommand(dir: string): number | string {
  if (!fs.existsSync(JIT_CLI)) return `${JIT_CLI} missing; run npm run build first`;
  const start = nowMs();
  const run = spawnSync(process.execPath, [JIT_CLI, 'validate', '--app', dir], { encoding: 'utf8' });
  const ms = nowMs() - start;
  if (run.status !== 0) return `the built CLI exited ${run.status} (${(run.stderr || run.stdout).split('\n')[0]}); rebuild with npm run build`;
  return ms;
}

function main(): void {
  const app = generateLoaderApp(INSTANCES);
  console.log(`app: ${app.dir} (${INSTANCES} instances, ${app.written ? 'generated' : 'reused'})`);

  const cold = timeInProcess(app.dir);
  const warm = median(Array.from({ length: WARM_RUNS }, () => timeInProcess(app.dir)));
  console.log(`jit validate, in-process, cold (first run): ${cold.toFixed(0)} ms`);
  console.log(`jit validate, in-process, warm (median of ${WARM_RUNS}): ${warm.toFixed(0)} ms`);

  const commands = Array.from({ length: 3 }, () => timeCommand(app.dir));
  const failure = commands.find((c): c is string => typeof c === 'string');
  if (failure) console.log(`jit validate as a command: not measured: ${failure}`);
  else console.log(`jit validate as a command (node dist/cli/main.js, median of ${commands.length}): ${median(commands as number[]).toFixed(0)} ms`);
}

main();
