/**
 * `jit serve` runs org sync on the schedule a corp's config asks for (`sync.intervalMinutes`), and
 * picks up a changed interval after a hot reload. An app upgraded from before the corps family, whose
 * login config still carries `sync`, keeps being synced (through an implied corp) and is told at start
 * which command makes the real corp. The scheduler's own behaviour (runs, overlap, stop) is tested in
 * tests/sync/scheduler.test.ts; this checks the host wires it in.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startServe } from '../../cli/commands/serve';
import { createLogger } from '../../runtime/logger';

const DEMO_APP = path.join(__dirname, '..', '..', 'apps', 'demo');
const CORP = 'corps.acme';
const CORP_CONFIG = path.join('corps', 'acme', 'acme.json');
const LOGIN = 'auths.loginTypes.testDDLogin';
const LOGIN_CONFIG = path.join('auths', 'loginTypes', 'testDDLogin', 'testDDLogin.json');

function demoCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jit-sync-schedule-'));
  fs.cpSync(DEMO_APP, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}.jit`) });
  return dir;
}

function setSync(dir: string, file: string, minutes: number): void {
  const target = path.join(dir, file);
  const config = JSON.parse(fs.readFileSync(target, 'utf8'));
  fs.writeFileSync(target, JSON.stringify({ ...config, sync: { intervalMinutes: minutes } }, null, 2));
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

type LogRecord = { msg: string; level: string; instance?: string; intervalMinutes?: number };

test('schedules org sync for a corp with sync.intervalMinutes, and reschedules after a hot reload', async () => {
  const dir = demoCopy();
  setSync(dir, CORP_CONFIG, 5);
  const records: LogRecord[] = [];
  const logger = createLogger({ sink: (line) => records.push(JSON.parse(line)) });
  const scheduled = () => records.filter((r) => r.msg === 'org sync scheduled' && r.instance === CORP).map((r) => r.intervalMinutes);
  const server = await startServe({ dir, port: 0, sim: true, watch: true, logger });
  try {
    expect(scheduled()).toEqual([5]);
    await server.watcher!.ready;
    setSync(dir, CORP_CONFIG, 15);
    await until(() => scheduled().length === 2, 'the schedule to restart after the reload');
    expect(scheduled()).toEqual([5, 15]);
  } finally {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a login config that still carries sync (no corp yet) is scheduled through an implied corp, and the start says how to make the real one', async () => {
  const dir = demoCopy();
  fs.rmSync(path.join(dir, 'corps'), { recursive: true });
  setSync(dir, LOGIN_CONFIG, 5);
  const records: LogRecord[] = [];
  const logger = createLogger({ sink: (line) => records.push(JSON.parse(line)) });
  const server = await startServe({ dir, port: 0, sim: true, logger });
  try {
    expect(records).toContainEqual(expect.objectContaining({ msg: 'org sync scheduled', instance: LOGIN, intervalMinutes: 5 }));
    const notice = records.find((r) => r.level === 'warn' && r.instance === LOGIN && r.msg.includes('implied corp'));
    expect(notice?.msg).toBe(`${LOGIN} still carries "sync" in its login config: it is synced through an implied corp; make the real corp with: jit create corps.testDDLogin --type corps.DDInnerType --auth ${LOGIN} --app ${dir}`);
  } finally {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
