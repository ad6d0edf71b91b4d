/**
 * Starting and stopping: graceful close lets an in-flight request finish and then refuses new
 * connections; `jit serve --sim` (startServe) serves the demo app against the in-process simulator
 * and tells a newcomer where to go and whom to scan as; a port in use is a one-line error, exit 1.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../cli/main';
import { describeServer, startServe } from '../../cli/commands/serve';
import { DINGTALK_SCRIPT_PATHS } from '../../dingtalk/page-scripts';
import { silentLogger } from '../../runtime/logger';
import { standinIntegrity } from '../../sim/standin-scripts';
import { corpA, fn, http, startTestHost } from './helpers';

const DEMO_APP = path.join(__dirname, '..', '..', 'apps', 'demo');

function copyDemo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jit-demo-'));
  fs.cpSync(DEMO_APP, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}.jit`) });
  return dir;
}

test('close() lets the request in flight finish, then refuses new connections', async () => {
  const t = await startTestHost();
  try {
    const echo = t.app.getElement<{ inFlight: number }>('services.echo');
    const slow = http(t.url, 'POST', fn('services.echo', 'wait'), { json: { ms: 300 } });
    while (echo.inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const closing = t.host.close();
    const answer = await slow;
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ success: true, data: { waited: 300 } });
    await closing;
    await expect(fetch(`${t.url}/healthz`)).rejects.toThrow();
  } finally {
    await t.close();
  }
});

describe('jit serve --sim (the demo)', () => {
  const dir = copyDemo();
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('serves the demo against the in-process simulator and prints the URL and the members who can scan', async () => {
    const server = await startServe({ dir, port: 0, sim: true, logger: silentLogger });
    try {
      expect((await http(server.url, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
      const config = await http(server.url, 'POST', fn('auths.loginTypes.testDDLogin', 'getLoginConfig'), { json: {} });
      expect(config.body.data.loginUrl).toBe(server.sim!.loginUrl);
      const page = await http(server.url, 'GET', '/login');
      // The simulator as a mirror of DingTalk's CDN, the stand-ins' hashes pinned (issue #20 item 6).
      expect(page.text).toContain(`src="${server.sim!.url}${DINGTALK_SCRIPT_PATHS.ddLogin}" integrity="${standinIntegrity().ddLogin}" crossorigin="anonymous"`);

      const lines = describeServer(server, dir).join('\n');
      expect(lines).toContain(`${server.url}/login`);
      expect(lines).toContain(`${server.url}/login/workbench?corpId=${corpA.corpId}`);
      expect(lines).toContain(`Scan the QR code as a member of ${corpA.name}:`);
      for (const user of corpA.users) expect(lines).toContain(`${user.name} (${user.userid}`);
      expect(lines).not.toContain(corpA.apps[0].appSecret);
    } finally {
      await server.close();
    }
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  test('a port in use is one line on stderr (besides JSON log lines) and exit code 1', async () => {
    const first = await startServe({ dir, port: 0, logger: silentLogger });
    const port = Number(new URL(first.url).port);
    const errors: string[] = [];
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(((chunk: string | Uint8Array) => {
      errors.push(String(chunk));
      return true;
    }) as typeof process.stderr.write);
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const code = await main(['node', 'jit', 'serve', dir, '--port', String(port), '--sim']);
      expect(code).toBe(1);
    } finally {
      write.mockRestore();
      stdout.mockRestore();
      process.exitCode = undefined;
      await first.close();
    }
    expect(errors.filter((line) => !line.startsWith('{'))).toEqual([`error: port ${port} on 127.0.0.1 is already in use; stop the other server or pass --port <another port>\n`]);
  });
});
