/**
 * No import circle across runtime/, dingtalk/, elements/ and cli/ (type-only imports count), and the
 * house rules of DECISIONS "Where DingTalk code lives": dingtalk/ imports only runtime/ (never
 * elements/), the corps and auths families never import each other, and runtime/ imports neither
 * dingtalk/ nor elements/. Read from the sources with a small scanner (madge is not a dependency).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { importCircles, importGraph, relative, sourceFiles } from './import-graph';

const FOLDERS = ['runtime', 'dingtalk', 'elements', 'cli'];
const graph = importGraph(sourceFiles(FOLDERS));

/** Edges from files under `from` to files under `to`, as "a -> b" lines. */
function edges(from: string, to: string): string[] {
  const found: string[] = [];
  for (const [file, targets] of graph) {
    if (!relative(file).startsWith(from)) continue;
    for (const target of targets) if (relative(target).startsWith(to)) found.push(`${relative(file)} -> ${relative(target)}`);
  }
  return found;
}

describe('the import graph', () => {
  it('reads the sources (sanity: it sees the files and the type-only imports)', () => {
    expect(graph.size).toBeGreaterThan(150);
    const typeOnly = [...graph.entries()].find(([file]) => relative(file) === 'dingtalk/binding/binding-context.ts')!;
    expect(typeOnly[1].map(relative)).toEqual(expect.arrayContaining(['runtime/index.ts', 'dingtalk/binding/policy.ts']));
  });

  it('finds a circle made only of type imports (the shape of the old DDInnerType <-> sync circle)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jit-circle-'));
    try {
      const file = (name: string, text: string) => (fs.writeFileSync(path.join(dir, name), text), path.join(dir, name));
      const login = file('login.ts', "import { runSync } from './sync';\nexport class Login { sync() { return runSync(this); } }\n");
      const sync = file('sync.ts', "import type { Login } from './login';\nexport function runSync(login: Login) { return login; }\n");
      const leaf = file('leaf.ts', "// import { Login } from './login';\nexport const leaf = 1;\n");
      expect(importCircles(importGraph([login, sync, leaf]))).toEqual([[login, sync].sort()]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has no import circle', () => {
    expect(importCircles(graph).map((circle) => circle.map(relative))).toEqual([]);
  });

  it('dingtalk/ imports only runtime/ and itself', () => {
    expect(edges('dingtalk/', 'elements/')).toEqual([]);
    expect(edges('dingtalk/', 'cli/')).toEqual([]);
  });

  it('the corps and auths families never import each other', () => {
    expect(edges('elements/corps/', 'elements/auths/')).toEqual([]);
    expect(edges('elements/auths/', 'elements/corps/')).toEqual([]);
  });

  it('runtime/ imports neither dingtalk/ nor elements/', () => {
    expect(edges('runtime/', 'dingtalk/')).toEqual([]);
    expect(edges('runtime/', 'elements/')).toEqual([]);
  });
});
