/**
 * `jit serve` runs org sync on the schedule an instance's config asks for (`sync.intervalMinutes`),
 * and picks up a changed interval after a hot reload. The scheduler's own behaviour (runs, overlap,
 * stop) is tested in tests/sync/scheduler.test.ts; this checks the host wires it in.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startServe } from '../../cli/commands/serve';
import { createLogger } from '../../runtime/logger';

const DEMO_APP = path.join(__dirname, '..', '..', 'apps', 'demo');
const INSTANCE = 'auths.loginTypes.testDDLogin';
const CONFIG = path.join('auths', 'loginTypes', 'testDDLogin', 'testDDLogin.json');

function demoWithSyncInterval(minutes: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jit-sync-schedule-'));
  fs.cpSync(DEMO_APP, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}.jit`) });
  setSyncInterval(dir, minutes);
  return dir;
}

function setSyncInterval(dir: string, minutes: number): void {
  const file = path.join(dir, CONFIG);
  const config = JSON.parse(fs.readFileSync(file, 'utf8'));
  fs.writeFileSync(file, JSON.stringify({ ...config, sync: { intervalMinutes: minutes } }, null, 2));
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('schedules org sync for an instance with sync.intervalMinutes, and reschedules after a hot reload', async () => {
  const dir = demoWithSyncInterval(5);
  const records: Array<{ msg: string; instance?: string; intervalMinutes?: number }> = [];
  const logger = createLogger({ sink: (line) => records.push(JSON.parse(line)) });
  const scheduled = () => records.filter((r) => r.msg === 'org sync scheduled' && r.instance === INSTANCE).map((r) => r.intervalMinutes);
  const server = await startServe({ dir, port: 0, sim: true, watch: true, logger });
  try {
    expect(scheduled()).toEqual([5]);
    await server.watcher!.ready;
    setSyncInterval(dir, 15);
    await until(() => scheduled().length === 2, 'the schedule to restart after the reload');
    expect(scheduled()).toEqual([5, 15]);
  } finally {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
