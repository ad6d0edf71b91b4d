/**
 * Elements use the runtime's public surface only (#19 item 2): every file under elements/ and
 * dingtalk/ that imports from runtime/ imports `runtime/index.ts` or its light half `runtime/core.ts`,
 * never a file inside, exactly as an app's own Type must. And the package exports what such a Type
 * needs, so the official elements have no power a user's Type lacks.
 */
import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { importGraph, relative, sourceFiles, REPO_ROOT } from './import-graph';

const SURFACE = new Set(['runtime/index.ts', 'runtime/core.ts']);

/** "file -> runtime file" for each import from an element-side file into runtime/ past its surface. */
function deepImports(files: readonly string[], root = REPO_ROOT): string[] {
  const everything = [...files, ...sourceFiles(['runtime'])];
  const found: string[] = [];
  for (const [file, targets] of importGraph(everything)) {
    const from = path.relative(root, file).split(path.sep).join('/');
    if (from.startsWith('runtime/')) continue;
    for (const target of targets) {
      const to = relative(target);
      if (to.startsWith('runtime/') && !SURFACE.has(to)) found.push(`${from} -> ${to}`);
    }
  }
  return found;
}

describe('the public runtime surface', () => {
  it('is the only part of runtime/ that elements/ and dingtalk/ import', () => {
    expect(deepImports(sourceFiles(['elements', 'dingtalk']))).toEqual([]);
  });

  it('is what the check reads: a deep import in an element file is found', () => {
    const dir = fs.mkdtempSync(path.join(REPO_ROOT, 'elements', '.deep-import-probe-'));
    try {
      const probe = path.join(dir, 'probe.ts');
      fs.writeFileSync(probe, "import { JitError } from '../../runtime/errors';\nexport const probe = JitError;\n");
      expect(deepImports([probe])).toEqual([`${relative(probe)} -> runtime/errors.ts`]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is exported by the package, with what a user\'s own Type needs', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pkg = require('../../index') as Record<string, unknown>;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const surface = require('../../runtime') as Record<string, unknown>;
    const missing = Object.keys(surface).filter((name) => !(name in pkg));
    expect(missing).toEqual([]);
    for (const name of ['Element', 'JitError', 'registerSecret', 'transactionRetryingConflicts', 'createLeaseStore', 'withProofLimits']) {
      expect(typeof pkg[name]).toBe('function');
    }
  });

  it('keeps the DingTalk client free of the persistence layer (it imports only the light half)', () => {
    const script = `
      require('ts-node').register({ transpileOnly: true });
      require('./dingtalk/client');
      const typeorm = Object.keys(require.cache).filter((f) => /node_modules[\\\\/]typeorm[\\\\/]/.test(f));
      process.stdout.write(String(typeorm.length));`;
    expect(execFileSync(process.execPath, ['-e', script], { cwd: REPO_ROOT, encoding: 'utf8' })).toBe('0');
  });
});
