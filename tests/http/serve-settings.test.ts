/**
 * `startServe` (the body of `jit serve`) with --watch: settings the host reads once (the session
 * lifetime, the server timeouts) are not silently ignored when app.json changes under a running
 * host: the reload is told they apply after a restart; settings read per request just apply.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startServe, type RunningServer } from '../../cli/commands/serve';
import { createLogger } from '../../runtime/logger';

test('a reload that changes server.requestTimeout warns that it needs a restart; publicUrl applies at once', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jit-serve-settings-'));
  const appJson = (extra: Record<string, unknown>) =>
    fs.writeFileSync(path.join(dir, 'app.json'), JSON.stringify({ appId: 'acme.tiny', title: 'Tiny', version: '1.0.0', extends: [], ...extra }));
  appJson({});
  const logs: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level: 'debug', sink: (line) => logs.push(JSON.parse(line)) });
  let server: RunningServer | undefined;
  try {
    server = await startServe({ dir, port: 0, watch: true, logger });
    expect(logs.some((l) => /publicUrl is not set/.test(String(l.msg)))).toBe(true);
    const watcher = server.watcher!;
    await watcher.ready;
    const reloaded = new Promise<void>((resolve) => watcher.on('reload', () => resolve()));
    appJson({ publicUrl: 'https://tiny.example.com', server: { requestTimeout: 5 } });
    await reloaded;
    expect(server.app.settings.publicUrl).toBe('https://tiny.example.com');
    expect(logs.filter((l) => l.level === 'warn' && /apply after jit serve restarts/.test(String(l.msg)))).toHaveLength(1);
  } finally {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
