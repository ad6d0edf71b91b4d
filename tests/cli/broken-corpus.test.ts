/**
 * The broken-app corpus through `jit validate`: each app has one defect; the command names its code,
 * file, line and column, exits 1, and prints no stack trace.
 */
import * as path from 'path';
import type { Diagnostic } from '../../runtime/diagnostics';
import { BROKEN_CORPUS } from '../loader/problem-cases';
import { fixture } from '../loader/fixtures';
import { runCli, STACK_TRACE } from './run-cli';

describe('jit validate on the broken corpus', () => {
  it.each(BROKEN_CORPUS.map((c) => [c.app, c] as const))('%s', async (_name, problem) => {
    const dir = fixture(problem.app);
    const relativeFile = path.relative(process.cwd(), path.join(dir, problem.file));

    const text = await runCli('validate', '--app', dir);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`${relativeFile}:${problem.line}:${problem.col} ${problem.code} `);
    expect(text.stdout).toMatch(/\d+ errors?$/m);
    expect(text.stdout + text.stderr).not.toMatch(STACK_TRACE);

    const json = await runCli('validate', '--app', dir, '--json');
    expect(json.code).toBe(1);
    const diagnostics = JSON.parse(json.stdout) as Diagnostic[];
    const errorCodes = new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.code));
    expect([...errorCodes]).toEqual([problem.code]);
    const found = diagnostics.find((d) => d.code === problem.code && d.file === path.join(dir, problem.file))!;
    expect(found.message).toMatch(problem.message);
    expect(json.stderr).toBe('');
  });
});
