/**
 * `jit codes`: every code a person can see can be looked up (#19 item 6): the app's registry as
 * loadApp builds it, the element-owned codes of its own Types included, with status, owner and words.
 */
import * as path from 'node:path';
import { runCli, STACK_TRACE } from './run-cli';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'apps');
const DEMO = path.join(__dirname, '..', '..', 'apps', 'demo');

describe('jit codes', () => {
  it('lists the runtime\'s, the login vocabulary\'s and the DingTalk family\'s codes with status and owner', async () => {
    const run = await runCli('codes', '--app', DEMO);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\s+INTERNAL_ERROR\s+500\s+runtime\s/m);
    expect(run.stdout).toMatch(/^\s+CREDENTIALS_INVALID\s+401\s+runtime\/auth\s/m);
    expect(run.stdout).toMatch(/^\s+DINGTALK_RATE_LIMITED\s+503\s+dingtalk\s/m);
    expect(run.stdout).toMatch(/^\s+SYNC_IN_PROGRESS\s+409\s+corps\s/m);
    // Page codes and the client's failure reasons are registered too, with no status.
    expect(run.stdout).toMatch(/^\s+FRAME_UNAVAILABLE\s+dingtalk\s/m);
    expect(run.stdout).toMatch(/^\s+TOKEN_REJECTED\s+dingtalk\s/m);
  });

  it('includes the codes an app\'s own Type declares (no runtime change needed)', async () => {
    const run = await runCli('codes', '--app', path.join(FIXTURES, 'own-login-app'), '--json');
    expect(run.code).toBe(0);
    const codes = JSON.parse(run.stdout) as Array<{ code: string; status?: number; kind: string; declaredBy: string }>;
    const own = codes.filter((c) => c.code.startsWith('TOTP_'));
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((c) => c.declaredBy.includes('TotpType'))).toBe(true);
    expect(codes.find((c) => c.code === 'TOTP_DEVICE_LOCKED')).toMatchObject({ kind: 'error', status: 423 });
  });

  it('looks one code up with its words for people, in each language', async () => {
    const run = await runCli('codes', 'NOT_CORP_MEMBER', '--app', DEMO);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^NOT_CORP_MEMBER \(error, HTTP 403\), owned by dingtalk/m);
    expect(run.stdout).toMatch(/^NOT_CORP_MEMBER \(reason\)/m); // the same name is a DingTalk reason too
    expect(run.stdout).toMatch(/^\s+zh-CN: .+/m);
  });

  it('an unknown code: exit 1 with the nearest name, no stack', async () => {
    const run = await runCli('codes', 'DINGTALK_RATE_LIMTED', '--app', DEMO);
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain('did you mean DINGTALK_RATE_LIMITED?');
    expect(run.stdout + run.stderr).not.toMatch(STACK_TRACE);
  });
});
