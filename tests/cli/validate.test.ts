/**
 * `jit validate`: a clean app exits 0 with a summary; problems are `file:line:col CODE message`
 * lines relative to the current directory; warnings do not fail; --json prints the diagnostics.
 */
import * as path from 'path';
import type { Diagnostic } from '../../runtime/diagnostics';
import { DEMO_APP, fixture } from '../loader/fixtures';
import { runCli } from './run-cli';

describe('jit validate', () => {
  it('passes the demo app', async () => {
    const run = await runCli('validate', '--app', DEMO_APP);
    expect(run).toEqual({ code: 0, stdout: 'acme.hr: 14 elements, no problems\n', stderr: '' });
  });

  it('prints each problem with the file relative to the current directory, then a summary', async () => {
    const run = await runCli('validate', '--app', fixture('invalid-type-chain'));
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^tests\/fixtures\/apps\/invalid-type-chain\/widgets\/BrokenType\/e\.json:4:25 BUNDLE_MISSING /);
    expect(lines[1]).toMatch(/^tests\/fixtures\/apps\/invalid-type-chain\/widgets\/thing\/e\.json:3:11 DEFINITION_INVALID /);
    expect(lines[2]).toBe('test.chain: 17 elements, 2 errors');
  });

  it('a warning alone does not fail', async () => {
    const run = await runCli('validate', '--app', fixture('secret-literal'));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/literalLogin\.json:4:18 SECRET_LITERAL /);
    expect(run.stdout).toMatch(/test\.literal: 13 elements, 0 errors, 1 warning\n$/);
  });

  it('--json prints the diagnostics array with absolute files', async () => {
    const run = await runCli('validate', '--json', '--app', fixture('broken/type-missing'));
    expect(run.code).toBe(1);
    const diagnostics = JSON.parse(run.stdout) as Diagnostic[];
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: 'TYPE_MISSING',
        severity: 'error',
        file: path.join(fixture('broken/type-missing'), 'auths', 'loginTypes', 'login', 'e.json'),
        pointer: '/type',
        line: 3,
        col: 11,
        fullName: 'auths.loginTypes.login',
      }),
    ]);
    expect(JSON.parse((await runCli('validate', '--json', '--app', DEMO_APP)).stdout)).toEqual([]);
  });

  it('defaults --app to the current directory', async () => {
    const cwd = process.cwd();
    process.chdir(DEMO_APP);
    try {
      const run = await runCli('validate');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('acme.hr');
    } finally {
      process.chdir(cwd);
    }
  });
});
