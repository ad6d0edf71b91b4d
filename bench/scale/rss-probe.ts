/**
 * Preloaded (`node -r rss-probe.js dist/cli/main.js org sync ...`) into a process whose peak memory a
 * suite reports: when the process exits, it writes its peak resident set size (maxRSS, the kernel's
 * VmHWM) to the file named by BENCH_RSS_FILE. The command itself runs unmodified.
 *
 * With BENCH_RSS_TRACE_MS set, it also samples RSS and the V8 heap every that many milliseconds and
 * writes the samples beside the peak (`trace`: [seconds, rssBytes, heapUsedBytes]), so a reader can
 * see whether memory climbs with the work done or levels off.
 */
import * as fs from 'fs';

const file = process.env.BENCH_RSS_FILE;
if (file) {
  const every = Number(process.env.BENCH_RSS_TRACE_MS ?? 0);
  const started = Date.now();
  const trace: Array<[number, number, number]> = [];
  if (every > 0) {
    setInterval(() => {
      const m = process.memoryUsage();
      trace.push([(Date.now() - started) / 1000, m.rss, m.heapUsed]);
    }, every).unref();
  }
  process.on('exit', () => {
    fs.writeFileSync(file, JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024, ...(every > 0 ? { trace } : {}) }));
  });
}
