/**
 * Child process (run with --expose-gc): retained heap per loaded instance and getElement speed, on a
 * fresh heap so the timing rounds' garbage and caches do not count.
 *
 *   node --expose-gc memory-probe.js <appDir> <instanceCount>
 *
 * Heap figures are heapUsed deltas after a full collection, taken in this order: the bare baseline's
 * parsed documents (kept alive, then dropped), the app's definitions after loadApp, then the app with
 * every instance's element object built by getElement.
 */
import { loadApp } from '../../runtime/load-app';
import { silentLogger } from '../../runtime/logger';
import { completeInChild } from '../lib/child-process';
import { nowMs } from '../lib/stats';
import { bareLoad } from './baseline';

export interface MemoryProbeResult {
  instanceCount: number;
  baselineBytes: number;
  definitionsBytes: number;
  elementsBytes: number;
  firstGetElementMs: number;
  lookups: { getElementPerSecond: number; mapGetPerSecond: number; iterations: number };
}

function settledHeap(): number {
  const gc = (global as { gc?: () => void }).gc;
  if (!gc) throw new Error('memory-probe needs --expose-gc');
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

/** Lookups per second of `lookup` over `names`, cycling through them for about `durationMs`. */
function lookupsPerSecond(names: readonly string[], lookup: (name: string) => unknown, durationMs: number): { perSecond: number; iterations: number } {
  let sink = 0;
  let iterations = 0;
  const start = nowMs();
  let elapsed = 0;
  while (elapsed < durationMs) {
    // Check the clock once per batch: reading it costs as much as a lookup.
    for (let i = 0; i < 1000; i++) {
      if (lookup(names[(iterations + i * 7919) % names.length]) !== undefined) sink++;
    }
    iterations += 1000;
    elapsed = nowMs() - start;
  }
  if (sink !== iterations) throw new Error('a lookup returned nothing');
  return { perSecond: (iterations / elapsed) * 1000, iterations };
}

async function probe(appDir: string, instanceCount: number): Promise<MemoryProbeResult> {
  // Warm-up: load once so module code, compiled schemas and JIT state exist before the first reading.
  const warm = await loadApp(appDir, { database: false, logger: silentLogger });
  await warm.close();

  const empty = settledHeap();
  let docs: unknown[] | undefined = await bareLoad(appDir);
  const withDocs = settledHeap();
  const baselineBytes = withDocs - empty;
  if (docs.length === 0) throw new Error('baseline read no files');
  docs = undefined;

  const beforeLoad = settledHeap();
  const app = await loadApp(appDir, { database: false, logger: silentLogger });
  const names = app.findElements({ type: 'auths.loginTypes.DDInnerType', level: 'instance' }).map((d) => d.fullName);
  if (names.length !== instanceCount) throw new Error(`expected ${instanceCount} valid instances, found ${names.length}`);
  const loaded = settledHeap();

  const t0 = nowMs();
  for (const name of names) app.getElement(name);
  const firstGetElementMs = nowMs() - t0;
  const withElements = settledHeap();

  const byName = new Map(names.map((n) => [n, app.getDefinition(n)]));
  const getElement = lookupsPerSecond(names, (n) => app.getElement(n), 700);
  const mapGet = lookupsPerSecond(names, (n) => byName.get(n), 700);
  await app.close();
  return {
    instanceCount,
    baselineBytes,
    definitionsBytes: loaded - beforeLoad,
    elementsBytes: withElements - beforeLoad,
    firstGetElementMs,
    lookups: { getElementPerSecond: getElement.perSecond, mapGetPerSecond: mapGet.perSecond, iterations: getElement.iterations },
  };
}

if (require.main === module) {
  completeInChild(() => probe(process.argv[2], Number(process.argv[3])));
}
