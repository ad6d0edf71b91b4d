/**
 * Loader suite: loadApp + validation of generated apps with 1,000 and 10,000 DDInnerType instances,
 * against a bare glob + JSON.parse of the same files, in alternating rounds of the same process.
 * Memory per instance and getElement speed come from a separate probe process with a fresh heap.
 */
import * as path from 'path';
import { loadApp } from '../../runtime/load-app';
import { silentLogger } from '../../runtime/logger';
import { runToCompletion } from '../lib/child-process';
import { figure, goal, type Figure } from '../lib/figures';
import { BENCH_DIST } from '../lib/paths';
import { median, nowMs, round } from '../lib/stats';
import { runSuiteInChild, type SuiteContext, type SuiteOutput } from '../lib/suite';
import { bareLoad } from './baseline';
import { generateLoaderApp } from './generate-app';
import type { MemoryProbeResult } from './memory-probe';

const SIZES = [1000, 10000] as const;
/** Timed rounds per size, after one warm-up round; the median is reported. */
const ROUNDS: Record<number, number> = { 1000: 7, 10000: 3 };

interface Samples {
  loaderMs: number[];
  baselineMs: number[];
  diagnostics: number;
}

function collect(): void {
  (global as { gc?: () => void }).gc?.();
}

async function timeLoader(dir: string, expected: number): Promise<{ ms: number; diagnostics: number }> {
  collect();
  const start = nowMs();
  const app = await loadApp(dir, { database: false, logger: silentLogger });
  const ms = nowMs() - start;
  const errors = app.diagnostics.filter((d) => d.severity === 'error');
  const valid = app.findElements({ type: 'auths.loginTypes.DDInnerType', level: 'instance' }).length;
  await app.close();
  if (errors.length > 0 || valid !== expected) {
    const first = errors[0];
    throw new Error(`generated app did not load cleanly: ${valid}/${expected} valid, ${errors.length} errors` +
      (first ? `; first: ${first.code} ${first.file}:${first.line}:${first.col} ${first.message}` : ''));
  }
  return { ms, diagnostics: app.diagnostics.length };
}

async function timeBaseline(dir: string): Promise<number> {
  collect();
  const start = nowMs();
  const docs = await bareLoad(dir);
  const ms = nowMs() - start;
  if (docs.length === 0) throw new Error('baseline read nothing');
  return ms;
}

async function measureSize(dir: string, size: number, ctx: SuiteContext): Promise<Samples> {
  const samples: Samples = { loaderMs: [], baselineMs: [], diagnostics: 0 };
  // Warm-up round (not recorded): page cache, module code, JIT.
  await timeBaseline(dir);
  await timeLoader(dir, size);
  for (let round = 0; round < ROUNDS[size]; round++) {
    // Alternate the order so neither side always runs on the warmer heap.
    if (round % 2 === 0) {
      samples.baselineMs.push(await timeBaseline(dir));
      const r = await timeLoader(dir, size);
      samples.loaderMs.push(r.ms);
      samples.diagnostics = r.diagnostics;
    } else {
      const r = await timeLoader(dir, size);
      samples.loaderMs.push(r.ms);
      samples.baselineMs.push(await timeBaseline(dir));
    }
  }
  ctx.progress(`${size} instances: loadApp ${median(samples.loaderMs).toFixed(0)} ms, baseline ${median(samples.baselineMs).toFixed(0)} ms (median of ${ROUNDS[size]})`);
  return samples;
}

async function run(ctx: SuiteContext): Promise<SuiteOutput> {
  const apps = SIZES.map((size) => {
    const start = nowMs();
    const app = generateLoaderApp(size);
    ctx.progress(`${size} instances: ${app.written ? `generated in ${(nowMs() - start).toFixed(0)} ms` : 'reusing generated app'} (${path.relative(process.cwd(), app.dir)})`);
    return app;
  });

  const samples: Record<number, Samples> = {};
  for (const app of apps) samples[app.instanceCount] = await measureSize(app.dir, app.instanceCount, ctx);

  ctx.progress('memory and getElement probe (10,000 instances, fresh process)');
  const big = apps[apps.length - 1];
  const probe = await runToCompletion<MemoryProbeResult>(path.join(BENCH_DIST, 'loader', 'memory-probe.js'), {
    args: [big.dir, String(big.instanceCount)],
    execArgv: ['--expose-gc'],
    label: 'memory probe',
  });

  const figures: Figure[] = [];
  for (const size of SIZES) {
    const s = samples[size];
    figures.push(figure({
      id: `loader.time.${size}`,
      label: `loadApp + validation, ${size.toLocaleString('en-US')} instances`,
      value: round(median(s.loaderMs), 1),
      unit: 'ms',
      baseline: { label: 'glob + JSON.parse', value: round(median(s.baselineMs), 1), unit: 'ms' },
      goal: goal('ratio', '<=', 2, '<= 2x baseline'),
    }));
  }
  const growth = median(samples[10000].loaderMs) / median(samples[1000].loaderMs);
  const baselineGrowth = median(samples[10000].baselineMs) / median(samples[1000].baselineMs);
  figures.push(figure({
    id: 'loader.growth',
    label: 'Growth: 10,000 / 1,000 instances',
    value: round(growth, 2),
    unit: 'x',
    baseline: { label: 'baseline growth', value: round(baselineGrowth, 2), unit: 'x' },
    goal: goal('value', '<=', 11, '<= 11x (linear)'),
  }));
  const per = (bytes: number) => Math.round(bytes / probe.instanceCount);
  figures.push(figure({
    id: 'loader.memory.definitions',
    label: 'Heap per loaded instance (definitions)',
    value: per(probe.definitionsBytes),
    unit: 'B',
    baseline: { label: 'parsed JSON kept', value: per(probe.baselineBytes), unit: 'B' },
  }));
  figures.push(figure({
    id: 'loader.memory.elements',
    label: 'Heap per instance after getElement built every element',
    value: per(probe.elementsBytes),
    unit: 'B',
    baseline: { label: 'parsed JSON kept', value: per(probe.baselineBytes), unit: 'B' },
  }));
  figures.push(figure({
    id: 'loader.getElement.first',
    label: 'First getElement (builds the element), per second',
    value: Math.round((probe.instanceCount / probe.firstGetElementMs) * 1000),
    unit: '/s',
  }));
  figures.push(figure({
    id: 'loader.getElement.cached',
    label: 'getElement of a loaded element, lookups per second',
    value: Math.round(probe.lookups.getElementPerSecond),
    unit: '/s',
    baseline: { label: 'Map.get', value: Math.round(probe.lookups.mapGetPerSecond), unit: '/s' },
  }));

  return {
    title: 'Loader',
    figures,
    raw: { sizes: SIZES, rounds: ROUNDS, samples, probe },
    method: [
      'Apps are generated under bench/tmp/ with N valid, active DDInnerType instances (e.json + business config with a `{{ENV}}` secret from .env, distinct corpIds).',
      '`loadApp(dir, {database: false})` loads and validates every definition; the baseline globs the same JSON files (the app, the platform app, the schemas) with fast-glob and JSON.parses each one.',
      `Both run in the same process in alternating order, after a warm-up round, with a full GC before each round; medians of ${ROUNDS[1000]} (1,000) and ${ROUNDS[10000]} (10,000) rounds.`,
      'Heap per instance: heapUsed after a full GC, 10,000-instance app, in a fresh process; baseline is the parsed JSON of the same files kept alive.',
      'getElement lookups cycle through all 10,000 instance names after every element was built once; the baseline is a Map.get over the same names.',
    ],
  };
}

if (require.main === module) runSuiteInChild('loader', run);
