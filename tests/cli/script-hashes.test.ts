/**
 * `jit script-hashes` (issue #20 item 6): fetches DingTalk's two scripts from the script base, prints
 * their SRI hashes and the app.json lines that pin them, compares them with the pins, checks the
 * CORS header a pinned script needs, and --write pins them. Against the simulator as a mirror of
 * DingTalk's CDN (it serves its stand-ins at the CDN's paths) and small mirrors of a test's own.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DINGTALK_SCRIPT_PATHS } from '../../dingtalk/page-scripts';
import { standinIntegrity } from '../../sim/standin-scripts';
import { copyFixture } from '../http/helpers';
import { startScriptMirror } from '../http/script-mirror';
import { runCli } from './run-cli';
import { useSimulator } from '../helpers/simulator';

const sim = useSimulator();
let dir: string;
const appJson = () => path.join(dir, 'app.json');
const readAppJson = () => JSON.parse(fs.readFileSync(appJson(), 'utf8'));
const withDingTalk = (dingtalk: Record<string, unknown>) => fs.writeFileSync(appJson(), JSON.stringify({ ...readAppJson(), dingtalk }, null, 2) + '\n');

/** The SRI hash as an operator would take it by hand: openssl, not our code. */
function opensslSri(bytes: string): string {
  const digest = execFileSync('openssl', ['dgst', '-sha384', '-binary'], { input: bytes });
  return `sha384-${digest.toString('base64')}`;
}

beforeEach(() => {
  dir = copyFixture('hr-app');
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

test('from the simulator as a mirror: the hashes of the bytes served, the app.json lines, nothing pinned yet', async () => {
  withDingTalk({ scriptBase: sim.url });
  const run = await runCli('script-hashes', '--app', dir);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  for (const name of ['ddLogin', 'dingtalkJsapi'] as const) {
    const served = await (await fetch(sim.url + DINGTALK_SCRIPT_PATHS[name])).text();
    expect(standinIntegrity()[name]).toBe(opensslSri(served));
    expect(run.stdout).toContain(`${sim.url}${DINGTALK_SCRIPT_PATHS[name]}`);
    expect(run.stdout).toContain(`${opensslSri(served)}  (not pinned)`);
  }
  expect(run.stdout).toContain('"scriptIntegrity": {');
  expect(run.stdout).toContain(`"ddLogin": "${standinIntegrity().ddLogin}"`);
  expect(fs.readFileSync(appJson(), 'utf8')).not.toContain('scriptIntegrity');
});

test('--write pins them in app.json, keeping the rest of the file; the next run finds them matching; jit validate is clean', async () => {
  const before = fs.readFileSync(appJson(), 'utf8');
  const run = await runCli('script-hashes', '--app', dir, '--base', `${sim.url}/`, '--write');
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('Written to');
  const after = readAppJson();
  expect(after.dingtalk).toEqual({ scriptBase: sim.url, scriptIntegrity: standinIntegrity() });
  // Only the dingtalk key was added: every line of the old file is still there.
  const text = fs.readFileSync(appJson(), 'utf8');
  for (const line of before.trim().split('\n').slice(0, -1)) expect(text).toContain(line.replace(/,$/, ''));

  const again = await runCli('script-hashes', '--app', dir, '--json');
  expect(again.code).toBe(0);
  const result = JSON.parse(again.stdout);
  expect(result.scripts.map((s: { pin: string }) => s.pin)).toEqual(['matches', 'matches']);

  const validate = await runCli('validate', '--app', dir);
  expect(validate.stdout).not.toContain('APP_JSON_INVALID');
});

test('a mirror serving other bytes than were pinned (tampered): DIFFERS, exit 1, and nothing is written without --write', async () => {
  const mirror = await startScriptMirror({
    files: {
      [DINGTALK_SCRIPT_PATHS.ddLogin]: 'window.__tampered = "ddLogin";',
      [DINGTALK_SCRIPT_PATHS.dingtalkJsapi]: 'window.__tampered = "dingtalkJsapi";',
    },
  });
  try {
    withDingTalk({ scriptBase: mirror.url, scriptIntegrity: standinIntegrity() });
    const before = fs.readFileSync(appJson(), 'utf8');
    const run = await runCli('script-hashes', '--app', dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${opensslSri('window.__tampered = "ddLogin";')}  (DIFFERS from app.json's ${standinIntegrity().ddLogin})`);
    expect(run.stdout).toContain('find out why');
    expect(fs.readFileSync(appJson(), 'utf8')).toBe(before);
  } finally {
    await mirror.close();
  }
});

test('a mirror without Access-Control-Allow-Origin: the problem and its fix, exit 1, and --write refuses to pin', async () => {
  const source = await (await fetch(sim.url + DINGTALK_SCRIPT_PATHS.ddLogin)).text();
  const jsapi = await (await fetch(sim.url + DINGTALK_SCRIPT_PATHS.dingtalkJsapi)).text();
  const mirror = await startScriptMirror({ files: { [DINGTALK_SCRIPT_PATHS.ddLogin]: source, [DINGTALK_SCRIPT_PATHS.dingtalkJsapi]: jsapi }, cors: false });
  try {
    withDingTalk({ scriptBase: mirror.url });
    const before = fs.readFileSync(appJson(), 'utf8');
    const run = await runCli('script-hashes', '--app', dir, '--write');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('PROBLEM: the server sends no Access-Control-Allow-Origin: browsers refuse a script with an integrity hash unless it does');
    expect(run.stdout).toContain('configure the mirror to send it');
    expect(fs.readFileSync(appJson(), 'utf8')).toBe(before);
  } finally {
    await mirror.close();
  }
});

test('a base without the scripts (404) or unreachable: a problem per script naming the fix, exit 1', async () => {
  const empty = await startScriptMirror({ files: {} });
  try {
    const missing = await runCli('script-hashes', '--app', dir, '--base', empty.url);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain(`PROBLEM: the server answered HTTP 404: the script base must serve ${DINGTALK_SCRIPT_PATHS.ddLogin} (a mirror keeps the CDN's paths)`);
  } finally {
    await empty.close();
  }
  // The same address once nothing listens there any more.
  const closed = await runCli('script-hashes', '--app', dir, '--base', empty.url);
  expect(closed.code).toBe(1);
  expect(closed.stdout).toContain(`PROBLEM: could not fetch it (ECONNREFUSED): check that this machine reaches ${empty.url}, or pass --base <your mirror>`);

  const bad = await runCli('script-hashes', '--app', dir, '--base', 'ftp://mirror');
  expect(bad.code).toBe(1);
  expect(bad.stderr).toContain('--base must be an http(s) URL');
});
