/**
 * The repository stands alone (#19 item 5): no tracked file carries an absolute path of a developer
 * machine, and no file points at a document outside the repository (the DingTalk facts the code
 * relies on are in docs/dingtalk-facts.md, in our own words, with their public sources).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
// Home folders and the like on Linux, macOS and Windows; /tmp and /usr paths are not a machine's.
const MACHINE_PATH = /(?:^|[\s"'`(=:])(?:\/work\/|\/home\/[a-z_][\w.-]*\/|\/Users\/[\w.-]+\/|\/root\/|[A-Za-z]:\\Users\\)/m;
const OUTSIDE_DOCUMENT = /(?:\.\.\/)+shared\/|dingtalk-(?:api|stream)\.md/;

function trackedTextFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  return listed.filter((file) => !/\.(png|jpe?g|gif|ico|db|lock)$/.test(file) && file !== 'package-lock.json' && fs.existsSync(path.join(REPO_ROOT, file)));
}

function offenders(pattern: RegExp, except: (file: string) => boolean = () => false): string[] {
  const found: string[] = [];
  for (const file of trackedTextFiles()) {
    if (except(file)) continue;
    const lines = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8').split('\n');
    lines.forEach((line, index) => {
      if (pattern.test(line)) found.push(`${file}:${index + 1}: ${line.trim().slice(0, 120)}`);
    });
  }
  return found;
}

describe('the repository stands alone', () => {
  test('no tracked file holds an absolute path of a developer machine', () => {
    expect(offenders(MACHINE_PATH, (file) => file === 'tests/house/self-contained.test.ts')).toEqual([]);
  });

  test('no tracked file cites a document outside the repository', () => {
    expect(offenders(OUTSIDE_DOCUMENT, (file) => file === 'tests/house/self-contained.test.ts')).toEqual([]);
  });

  test('the checks can fail', () => {
    expect(MACHINE_PATH.test('see /home/alice/project/x')).toBe(true);
    expect(MACHINE_PATH.test('C:\\Users\\bob\\x')).toBe(true);
    expect(MACHINE_PATH.test('written to /tmp/jit-x and /usr/bin/chromium')).toBe(false);
    expect(OUTSIDE_DOCUMENT.test('per dingtalk-api.md §7a')).toBe(true);
  });
});
