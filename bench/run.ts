/**
 * `npm run bench`: runs every suite in sequence, each in a child process of its own, writes
 * `bench/results/<suite>.json` and regenerates the tables in `docs/benchmarks.md`.
 *
 *   npm run bench                  all suites
 *   npm run bench -- loader login  only these (the doc is regenerated from every result file present)
 */
import { fork } from 'child_process';
import * as path from 'path';
import { BENCH_DIST, BENCHMARKS_DOC } from './lib/paths';
import { readResults, SUITE_ORDER, writeBenchmarksDoc, writeResult } from './lib/report';
import { isSuiteMessage, type SuiteResult } from './lib/suite';
import { formatValue } from './lib/report';

const started = Date.now();

function log(message: string): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[bench ${seconds}s] ${message}\n`);
}

/** Runs one suite's compiled entry in a child process and returns its result. */
function runSuite(name: string): Promise<SuiteResult> {
  const entry = path.join(BENCH_DIST, name, 'suite.js');
  // --expose-gc lets suites measure retained heap after a full collection.
  const child = fork(entry, [], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let result: SuiteResult | undefined;
    let failure: string | undefined;
    child.on('message', (msg) => {
      if (!isSuiteMessage(msg)) return;
      if (msg.type === 'progress') log(`${name}: ${msg.message}`);
      else if (msg.type === 'result') result = msg.result;
      else if (msg.type === 'failure') failure = msg.message;
    });
    child.on('exit', (code, signal) => {
      if (result) resolve(result);
      else reject(new Error(`suite ${name} failed (${code ?? signal}): ${failure ?? 'no result reported'}`));
    });
  });
}

async function main(): Promise<number> {
  const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = requested.filter((s) => !SUITE_ORDER.includes(s));
  if (unknown.length > 0) {
    process.stderr.write(`unknown suite(s): ${unknown.join(', ')}; known: ${SUITE_ORDER.join(', ')}\n`);
    return 2;
  }
  const suites = requested.length > 0 ? SUITE_ORDER.filter((s) => requested.includes(s)) : SUITE_ORDER;
  let failed = 0;
  for (const name of suites) {
    log(`${name}: starting`);
    try {
      const result = await runSuite(name);
      const file = writeResult(result);
      log(`${name}: done in ${(result.durationMs / 1000).toFixed(1)} s -> ${path.relative(process.cwd(), file)}`);
      for (const f of result.figures) {
        const goal = f.goal ? `  goal ${f.goal.text}: ${f.met ? 'met' : 'NOT MET'}` : '';
        const ratio = f.ratio !== undefined && Number.isFinite(f.ratio) ? `  (${f.ratio.toFixed(2)}x)` : '';
        log(`  ${f.label}: ${formatValue(f.value, f.unit)}${ratio}${goal}`);
      }
    } catch (err) {
      failed++;
      log(err instanceof Error ? err.message : String(err));
    }
  }
  writeBenchmarksDoc(readResults());
  log(`wrote ${path.relative(process.cwd(), BENCHMARKS_DOC)}; total ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
