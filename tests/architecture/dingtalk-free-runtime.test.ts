/**
 * The runtime is DingTalk-free (issue #17 item 1; DECISIONS "a DingTalk-free runtime by a
 * mechanism"): no code, string or word under runtime/ names DingTalk (`dingtalk` in any case, or
 * 钉钉); what DingTalk's elements need from the host they contribute (runtime/contributions.ts).
 * Comments may name it: they say why, e.g. which family a mechanism was made for. Comments are found
 * with TypeScript's own scanner, so a `//` inside a string or a URL is not mistaken for one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from './import-graph';

const NAMES = /dingtalk|钉钉/i;

/**
 * Where the runtime may still name DingTalk, and why. Folders end in `/`. A file listed here that no
 * longer names DingTalk fails the last test: take it off the list when its owner's change lands.
 */
const EXCEPTIONS: Readonly<Record<string, string>> = {
  // Applied migrations are history and keep their text; a rename must name the old column.
  'runtime/audit/migrations/': 'migrations: AuditEvents1797100000000 created dingtalkUserId, AuditMemberId1798500000000 renames it',
};

/**
 * Each line (1-based) of a source text whose code or strings, comments left out, name DingTalk: the
 * text of every token of TypeScript's parse (a token's text never holds the comments around it;
 * JSDoc nodes are skipped).
 */
export function namingLines(text: string, file: string): number[] {
  if (file.endsWith('.css')) return linesMatching(text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')));
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  const lines = new Set<number>();
  const visit = (node: ts.Node): void => {
    if (node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode) return;
    const children = node.getChildren(source);
    if (children.length) return children.forEach(visit);
    const start = node.getStart(source);
    const token = text.slice(start, node.getEnd());
    for (const match of token.matchAll(new RegExp(NAMES.source, 'gi'))) lines.add(source.getLineAndCharacterOfPosition(start + match.index!).line + 1);
  };
  visit(source);
  return [...lines].sort((a, b) => a - b);
}

function linesMatching(text: string): number[] {
  return text.split('\n').flatMap((line, i) => (NAMES.test(line) ? [i + 1] : []));
}

function runtimeFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|js|css)$/.test(entry.name)) files.push(path.relative(REPO_ROOT, full).split(path.sep).join('/'));
    }
  };
  walk(path.join(REPO_ROOT, 'runtime'));
  return files.sort();
}

const excepted = (file: string) => Object.keys(EXCEPTIONS).some((key) => (key.endsWith('/') ? file.startsWith(key) : file === key));
const hitsOf = (file: string) => namingLines(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8'), file).map((line) => `${file}:${line}`);

describe('a DingTalk-free runtime', () => {
  it('names DingTalk in comments only (besides the listed exceptions)', () => {
    const hits = runtimeFiles().filter((file) => !excepted(file)).flatMap(hitsOf);
    expect(hits).toEqual([]);
  });

  it('is what the check reads: code and strings count, comments do not', () => {
    const probe = [
      '// DingTalk in a line comment',
      '/** DingTalk in a doc comment */',
      "const url = 'https://login.dingtalk.com'; // a string",
      'const x = 1; /* 钉钉 */',
      'export const DINGTALK_HOSTS = `${x}//not a comment dingtalk`;',
      "const words = { 'audit.dingtalk': '钉钉' };",
    ].join('\n');
    expect(namingLines(probe, 'probe.ts')).toEqual([3, 5, 6]);
    expect(namingLines('.a { color: red; } /* DingTalk */\n.dingtalk-frame { }', 'probe.css')).toEqual([2]);
  });

  it('lists only exceptions that still hold', () => {
    const stale = Object.keys(EXCEPTIONS).filter((key) => !runtimeFiles().some((file) => (key.endsWith('/') ? file.startsWith(key) : file === key) && hitsOf(file).length > 0));
    expect(stale).toEqual([]);
  });
});
