/** `jit sim`: prints where the simulator listens and who to log in as, stops on SIGTERM/SIGINT. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command, CommanderError } from 'commander';
import { registerSimCommand } from '../../cli/commands/sim';
import { connectSimulator } from '../../sim';
import { reportFailure } from '../../cli/output';
import { appA, corpA } from './helpers';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jit-sim-cli-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
afterEach(() => jest.restoreAllMocks());

/**
 * `jit` with only the sim command registered, so this suite does not depend on every other command
 * loading; failures are reported exactly as cli/main.ts does (reportFailure, bad usage = 2).
 */
async function main(argv: string[]): Promise<number> {
  const program = new Command('jit').exitOverride();
  registerSimCommand(program);
  program.commands.forEach((c) => c.exitOverride());
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    return err instanceof CommanderError ? 2 : reportFailure(err);
  }
}

function captureOutput(): { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  return { out: () => out, err: () => err };
}

async function until(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !predicate(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!predicate()) throw new Error('condition not reached');
}

it.each(['SIGTERM', 'SIGINT'] as const)('serves until %s, printing the URL, env lines and members, never a secret', async (signal) => {
  const output = captureOutput();
  const run = main(['node', 'jit', 'sim', '--port', '0', '--latency', '0']);
  await until(() => output.out().includes('Press Ctrl+C'));
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output.out())![1];
  expect(output.out()).toContain(`DINGTALK_OAPI_URL=${url}`);
  expect(output.out()).toContain(`DINGTALK_API_URL=${url}`);
  expect(output.out()).toContain(`DINGTALK_LOGIN_URL=${url}`);
  expect(output.out()).toContain(`corpId ${corpA.corpId}`);
  expect(output.out()).toContain('张三  userid zhangsan');
  expect(output.out()).not.toContain(appA.appSecret);
  const res = await fetch(`${url}/v1.0/oauth2/accessToken`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ appKey: appA.appKey, appSecret: appA.appSecret }),
  });
  expect(res.status).toBe(200);

  process.emit(signal);
  expect(await run).toBe(0);
  expect(output.out()).toContain('DingTalk simulator stopped.');
  await expect(fetch(`${url}/__sim/counters`)).rejects.toThrow();
});

it('prints the admin token its admin routes take (issue #20 item 8), and says the QPS limit is on', async () => {
  const output = captureOutput();
  const run = main(['node', 'jit', 'sim', '--port', '0']);
  await until(() => output.out().includes('Press Ctrl+C'));
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output.out())![1];
  const token = /Authorization: Bearer (\S+)/.exec(output.out())![1];
  expect(output.out()).toContain('20 times a second');
  expect((await fetch(`${url}/__sim/counters`)).status).toBe(403);
  const client = await connectSimulator(url, { token });
  expect((await client.callRates()).qps).toBe(20);
  process.emit('SIGTERM');
  expect(await run).toBe(0);
});

it('takes JIT_SIM_ADMIN_TOKEN as the admin token, and --qps off / 60', async () => {
  process.env.JIT_SIM_ADMIN_TOKEN = 'a-token-known-to-both-processes';
  try {
    for (const qps of ['off', '60']) {
      const output = captureOutput();
      const run = main(['node', 'jit', 'sim', '--port', '0', '--qps', qps]);
      await until(() => output.out().includes('Press Ctrl+C'));
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output.out())![1];
      expect((await (await connectSimulator(url)).callRates()).qps).toBe(qps === 'off' ? 'off' : 60);
      process.emit('SIGTERM');
      expect(await run).toBe(0);
      jest.restoreAllMocks();
    }
  } finally {
    delete process.env.JIT_SIM_ADMIN_TOKEN;
  }
});

it('refuses a bad --qps as bad usage (exit 2)', async () => {
  captureOutput();
  expect(await main(['node', 'jit', 'sim', '--qps', 'fast'])).toBe(2);
  expect(await main(['node', 'jit', 'sim', '--qps', '0'])).toBe(2);
});

it('loads --org and lists its members', async () => {
  const file = path.join(dir, 'org.json');
  fs.writeFileSync(file, JSON.stringify({ corps: [{ ...corpA, users: corpA.users.slice(0, 1) }] }));
  const output = captureOutput();
  const run = main(['node', 'jit', 'sim', '--port', '0', '--org', file]);
  await until(() => output.out().includes('Press Ctrl+C'));
  expect(output.out()).toContain('Acme Demo Corp');
  expect(output.out()).toContain(': 1 member');
  process.emit('SIGTERM');
  expect(await run).toBe(0);
});

it('refuses a bad --org file with one line naming the file and the problem, exit 1', async () => {
  const file = path.join(dir, 'broken.json');
  fs.writeFileSync(file, JSON.stringify({ corps: [{ corpId: 'dingx', name: 'X', apps: [], departments: [], users: [] }] }));
  const output = captureOutput();
  expect(await main(['node', 'jit', 'sim', '--port', '0', '--org', file])).toBe(1);
  const lines = output.err().trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(file);
  expect(lines[0]).toContain('root department (dept_id 1) is missing');
});

it('refuses a bad --port as bad usage (exit 2)', async () => {
  captureOutput();
  expect(await main(['node', 'jit', 'sim', '--port', 'eighty'])).toBe(2);
});
