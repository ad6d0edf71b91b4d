/**
 * Where the benchmarks read and write. The suites run compiled (dist/bench/...), so the repository
 * root is found by walking up to the package's own folder (package.json beside tsconfig.json, which
 * a build output folder never has), not from __dirname's depth.
 */
import * as fs from 'fs';
import * as path from 'path';

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && fs.existsSync(path.join(dir, 'tsconfig.json')) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'jit-runtime') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`bench: no jit-runtime package.json above ${start}`);
    dir = parent;
  }
}

export const REPO_ROOT = findRepoRoot(__dirname);
/** Committed results: one JSON file per suite. */
export const RESULTS_DIR = path.join(REPO_ROOT, 'bench', 'results');
/** Generated apps and databases (gitignored, reused between runs when still valid). */
export const BENCH_TMP = path.join(REPO_ROOT, 'bench', 'tmp');
export const BENCHMARKS_DOC = path.join(REPO_ROOT, 'docs', 'benchmarks.md');
/** The compiled CLI (`jit`), which the host and hot-reload suites start as child processes. */
export const JIT_CLI = path.join(REPO_ROOT, 'dist', 'cli', 'main.js');
/** The compiled bench folder, where child-process entry points live. */
export const BENCH_DIST = path.join(REPO_ROOT, 'dist', 'bench');
