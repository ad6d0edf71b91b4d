/**
 * `jit audit export` as a real child process writing into a real pipe: a reader that takes its time
 * still gets every line (the export waits for it instead of buffering the table), and a reader that
 * goes away after the first lines (`| head`) ends the export quietly, exit 0, no stack trace.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openDatabase, coreModels } from '../../runtime/db';
import { DatabaseAuditLog, type AuditEventInput } from '../../runtime/audit';
import { REPO_ROOT } from '../helpers/serve-process';

const APP = path.resolve(__dirname, '../fixtures/login/create-user');
const ROWS = 30000;

let dir = '';
let databaseUrl = '';
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jit-audit-export-'));
  databaseUrl = `sqlite:${path.join(dir, 'app.db')}`;
  const db = await openDatabase(databaseUrl, [coreModels]);
  try {
    const events = Array.from({ length: ROWS }, (_, i): AuditEventInput => ({ type: 'binding.left', memberId: `member${i}`, details: { note: 'x'.repeat(200) } }));
    await new DatabaseAuditLog(db).recordMany(events);
  } finally {
    await db.close();
  }
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function exportProcess() {
  const env: NodeJS.ProcessEnv = { ...process.env, JIT_DATABASE_URL: databaseUrl, DD_APP_SECRET_A: 'x'.repeat(64), DD_APP_SECRET_B: 'y'.repeat(64) };
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(REPO_ROOT, 'cli', 'main.ts'), 'audit', 'export', '--format', 'jsonl', '--app', APP], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

test('a slow reader gets every line', async () => {
  const run = exportProcess();
  let lines = 0;
  let last = '';
  let chunks = 0;
  run.child.stdout.on('data', (chunk: Buffer) => {
    const text = last + chunk.toString('utf8');
    const parts = text.split('\n');
    last = parts.pop()!;
    lines += parts.length;
    // Take a break now and then: the pipe fills and the export must wait, not pile up.
    if (++chunks % 20 === 0) {
      run.child.stdout.pause();
      setTimeout(() => run.child.stdout.resume(), 50);
    }
  });
  expect(await run.exited).toBe(0);
  expect(run.stderr()).toBe('');
  expect(last).toBe('');
  expect(lines).toBe(ROWS);
}, 180_000);

test('a reader that leaves early (| head) ends the export quietly', async () => {
  const run = exportProcess();
  let first = '';
  await new Promise<void>((resolve) =>
    run.child.stdout.once('data', (chunk: Buffer) => {
      first = chunk.toString('utf8').split('\n')[0];
      run.child.stdout.destroy();
      resolve();
    }),
  );
  expect(JSON.parse(first)).toMatchObject({ type: 'binding.left', memberId: 'member0' });
  expect(await run.exited).toBe(0);
  expect(run.stderr()).not.toMatch(/^\s+at /m);
}, 180_000);
