/**
 * Summarises a V8 CPU profile (`.cpuprofile`, e.g. from BENCH_PROFILE_DIR=... npm run bench -- login)
 * into the time spent per area of the code and the functions with the most time of their own.
 *
 *   node dist/bench/tools/profile-summary.js <file.cpuprofile> [--last <seconds>]
 *
 * `--last` keeps only the final seconds of the profile (the timed run, not start-up). Times are the
 * profiler's samples, which follow the wall clock: on a busy machine a thread descheduled inside a
 * system call is charged to that call, so read the shares, not the milliseconds.
 */
import * as fs from 'fs';
import { REPO_ROOT } from '../lib/paths';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Areas in the order they are tried: a sample belongs to the first area found walking up its stack. */
const AREAS: Array<[string, RegExp]> = [
  ['database (typeorm, sqlite3)', /node_modules\/(typeorm|sqlite3)\//],
  ['DingTalk calls (DDInnerClient, axios)', /DDInnerType\/client\/|node_modules\/axios\//],
  ['fastify', /node_modules\/(fastify|find-my-way|avvio|light-my-request|secure-json-parse|fast-json-stringify)\//],
  ['host (runtime/http)', /runtime\/http\//],
  ['logging', /runtime\/(logger|secrets)\./],
  ['auth stores (runtime/auth)', /runtime\/auth\//],
  ['login elements (elements/)', /\/elements\//],
  ['loader (runtime/loader)', /runtime\/loader\//],
  ['ajv', /node_modules\/ajv\//],
];

export function summarise(profile: CpuProfile, lastSeconds?: number): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stamps: number[] = [];
  let t = profile.startTime;
  for (const d of profile.timeDeltas) stamps.push((t += d));
  const from = lastSeconds === undefined ? -Infinity : stamps[stamps.length - 1] - lastSeconds * 1e6;

  const areas = new Map<string, number>();
  const selfTime = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    if (stamps[i] < from) return;
    const micros = profile.timeDeltas[i] ?? 0;
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') return;
    busy += micros;
    const self = `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    selfTime.set(self, (selfTime.get(self) ?? 0) + micros);
    let area: string | undefined;
    if (frame.functionName === '(garbage collector)') area = 'garbage collection';
    for (let cur: number | undefined = id; cur !== undefined && !area; cur = parent.get(cur)) {
      const url = byId.get(cur)!.callFrame.url;
      area = AREAS.find(([, re]) => re.test(url))?.[0];
    }
    area ??= `other: ${frame.functionName || '(anonymous)'}`;
    areas.set(area, (areas.get(area) ?? 0) + micros);
  });

  const pct = (v: number) => `${((100 * v) / busy).toFixed(1).padStart(5)}%`;
  const ms = (v: number) => `${(v / 1000).toFixed(0).padStart(7)} ms`;
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
  return [
    `busy ${ms(busy).trim()}${lastSeconds === undefined ? '' : ` in the last ${lastSeconds} s`}`,
    '',
    'by area (a sample counts for the nearest area on its stack):',
    ...top(areas, 14).map(([k, v]) => `${ms(v)} ${pct(v)}  ${k}`),
    '',
    'functions with the most self time:',
    ...top(selfTime, 20).map(([k, v]) => `${ms(v)} ${pct(v)}  ${k}`),
  ];
}

/** `node_modules/<pkg>/...` or a path relative to the repository. */
function shortUrl(url: string): string {
  return url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, 'node_modules/').replace(`${REPO_ROOT}/`, '');
}

if (require.main === module) {
  const [file, flag, value] = process.argv.slice(2);
  if (!file || (flag !== undefined && (flag !== '--last' || !(Number(value) > 0)))) {
    process.stderr.write('usage: profile-summary <file.cpuprofile> [--last <seconds>]\n');
    process.exitCode = 2;
  } else {
    const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
    process.stdout.write(summarise(profile, flag ? Number(value) : undefined).join('\n') + '\n');
  }
}
