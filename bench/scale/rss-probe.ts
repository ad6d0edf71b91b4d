/**
 * Preloaded (`node -r rss-probe.js dist/cli/main.js org sync ...`) into a process whose peak memory a
 * suite reports: when the process exits, it writes its peak resident set size (maxRSS, the kernel's
 * VmHWM) to the file named by BENCH_RSS_FILE. The command itself runs unmodified.
 */
import * as fs from 'fs';

const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    fs.writeFileSync(file, JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
  });
}
