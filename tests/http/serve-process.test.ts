/**
 * `jit serve --watch --sim` as a real process (the CLI through ts-node): it prints where it
 * listens, hot-reloads an edited element module (a real Node module cache, which jest's registry
 * cannot stand in for), and on SIGTERM finishes the request in flight, then exits 0.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { http } from './helpers';

const ROOT = path.join(__dirname, '..', '..');

function writeApp(dir: string, answer: string): void {
  fs.writeFileSync(path.join(dir, 'app.json'), JSON.stringify({ appId: 'acme.clock', title: 'Clock', version: '1.0.0', extends: [] }));
  const service = path.join(dir, 'services', 'clock');
  fs.mkdirSync(service, { recursive: true });
  fs.writeFileSync(
    path.join(service, 'e.json'),
    JSON.stringify({
      title: 'Clock',
      type: 'services.NormalType',
      backendBundleEntry: 'Clock',
      functionList: [
        { name: 'answer', title: 'Answer', args: [], loginRequired: false },
        { name: 'slow', title: 'Slow answer', args: [], loginRequired: false },
      ],
    }),
  );
  // The served app's module extends the runtime's Element, required by absolute path (no install here).
  fs.writeFileSync(
    path.join(service, 'Clock.js'),
    `const { Element } = require(${JSON.stringify(path.join(ROOT, 'index'))});
module.exports = class Clock extends Element {
  answer() { return ${JSON.stringify(answer)}; }
  slow() { return new Promise((resolve) => setTimeout(() => resolve('slow done'), 400)); }
};
`,
  );
}

function waitForOutput(child: ChildProcessWithoutNullStreams, pattern: RegExp, output: { text: string }): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(output.text);
      if (match) {
        child.stdout.off('data', check);
        resolve(match);
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => reject(new Error(`jit serve exited (${code}) before printing ${pattern}: ${output.text}`)));
    check();
  });
}

test('serves, hot-reloads an edited module, and stops gracefully on SIGTERM', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jit-serve-process-'));
  writeApp(dir, 'v1');
  const output = { text: '' };
  const errors = { text: '' };
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'cli/main.ts', 'serve', dir, '--port', '0', '--watch', '--sim'], {
    cwd: ROOT,
    env: { ...process.env, JIT_LOG_LEVEL: 'warn' },
  });
  child.stdout.on('data', (chunk) => (output.text += String(chunk)));
  child.stderr.on('data', (chunk) => (errors.text += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const [, url] = await waitForOutput(child, /is served at (http:\/\/[^\s]+)/, output);
    await waitForOutput(child, /Press Ctrl\+C to stop/, output);
    expect(output.text).toContain('DingTalk simulator at http://127.0.0.1:');
    expect(output.text).toContain('Watching');
    const answer = () => http(url, 'POST', '/api/acme/clock/services/clock/answer', { json: {} });
    expect((await answer()).body).toEqual({ success: true, data: 'v1' });

    // The first save after start must be served. Bounded, so a reload that never applies fails
    // with a reason instead of hanging the run (this is not a speed assertion).
    writeApp(dir, 'v2');
    const deadline = Date.now() + 20_000;
    let served = (await answer()).body?.data;
    while (served !== 'v2' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      served = (await answer()).body?.data;
    }
    if (served !== 'v2') throw new Error(`the edited module was not served within 20 s (still ${JSON.stringify(served)}); jit serve stderr:\n${errors.text}`);

    const slow = http(url, 'POST', '/api/acme/clock/services/clock/slow', { json: {} });
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the request reach the handler
    child.kill('SIGTERM');
    expect((await slow).body).toEqual({ success: true, data: 'slow done' });
    expect(await exited).toBe(0);
    expect(output.text).toContain('Stopping (SIGTERM)');
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 90_000);

describe('the host flags', () => {
  function run(args: string[]): Promise<{ code: number | null; stderr: string }> {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'cli/main.ts', 'serve', ...args], { cwd: ROOT, env: { ...process.env, JIT_LOG_LEVEL: 'warn' } });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.stdout.resume();
    return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
  }

  // Each case starts the CLI (a few seconds under ts-node); the parsers have unit tests of their own.
  test.each([
    [['--trust-proxy', 'everyone'], /--trust-proxy: "everyone"/],
    [['--public-url', 'https://hr.example.com/app'], /--public-url: .*origin only/],
    [['--flood-per-address', '0'], /--flood-per-address must be a positive whole number/],
  ])('%p is refused before starting (exit 2) with a message naming it', async (args, message) => {
    const { code, stderr } = await run(['.', '--port', '0', ...args]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  }, 60_000);

  test('--trust-proxy 1 --public-url: cookies Secure and an absolute redirect URI', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jit-serve-flags-'));
    writeApp(dir, 'v1');
    const output = { text: '' };
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'cli/main.ts', 'serve', dir, '--port', '0', '--sim', '--trust-proxy', '1', '--public-url', 'https://hr.example.com', '--flood-per-address', '1000'],
      { cwd: ROOT, env: { ...process.env, JIT_LOG_LEVEL: 'warn' } },
    );
    child.stdout.on('data', (chunk) => (output.text += String(chunk)));
    child.stderr.resume();
    try {
      const [, url] = await waitForOutput(child, /is served at (http:\/\/[^\s]+)/, output);
      const page = await http(url, 'GET', '/login', { headers: { accept: 'text/html' } });
      expect(page.headers.get('strict-transport-security')).toBe('max-age=31536000');
      expect(page.headers.getSetCookie().find((c) => c.startsWith('jit_browser='))).toMatch(/; Secure/);
      // The origin check follows the public URL.
      const cross = await http(url, 'POST', '/api/acme/clock/services/clock/answer', { json: {}, headers: { origin: url } });
      expect(cross.body.error?.code).toBe('CSRF_REJECTED');
      const own = await http(url, 'POST', '/api/acme/clock/services/clock/answer', { json: {}, headers: { origin: 'https://hr.example.com' } });
      expect(own.body).toEqual({ success: true, data: 'v1' });
    } finally {
      child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
