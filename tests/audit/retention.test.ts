/**
 * Retention: `startAuditRetention(app)` (what the host runs) prunes at once and then on its timer,
 * keeping app.json's `audit.retentionDays` (30 in the fixture; 180 when unset), on SQLite and
 * PostgreSQL. Rows are written with a store whose clock is set back, as if written days ago.
 */
import * as path from 'node:path';
import { loadApp } from '../../runtime/load-app';
import { silentLogger } from '../../runtime/logger';
import type { AppHandle } from '../../runtime/app-types';
import { DatabaseAuditLog, startAuditRetention, type AuditRetention } from '../../runtime/audit';
import { describeEachDatabase } from '../helpers/each-database';

const DAY = 24 * 60 * 60 * 1000;
const RETENTION_APP = path.resolve(__dirname, '../fixtures/audit/retention');
const DEFAULTS_APP = path.resolve(__dirname, '../fixtures/login/subtype');
const ENV = { DD_APP_SECRET_A: 'x'.repeat(64), DD_APP_SECRET_B: 'y'.repeat(64) };

/** Waits for a condition with a generous deadline (no timing is asserted). */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function writtenDaysAgo(app: AppHandle, days: number, count: number, type: 'login.succeeded' | 'user.created' = 'login.succeeded'): Promise<void> {
  const past = new DatabaseAuditLog(app.db, { now: () => new Date(Date.now() - days * DAY) });
  await past.recordMany(Array.from({ length: count }, () => ({ type, details: { daysAgo: days } })));
}

async function ages(app: AppHandle): Promise<number[]> {
  const found: number[] = [];
  for await (const event of app.audit.export()) found.push(Number(event.details?.daysAgo));
  return found.sort((a, b) => a - b);
}

describeEachDatabase('audit retention', (target) => {
  let app: AppHandle | undefined;
  let retention: AuditRetention | undefined;
  afterEach(async () => {
    await retention?.stop();
    await app?.close();
    retention = undefined;
    app = undefined;
  });

  test('the host timer prunes past audit.retentionDays at start and on every tick', async () => {
    app = await loadApp(RETENTION_APP, { databaseUrl: target.url, logger: silentLogger, env: ENV });
    expect(app.settings.audit.retentionDays).toBe(30);
    await app.db.run((m) => m.query('DELETE FROM audit_events'));
    await writtenDaysAgo(app, 45, 3);
    await writtenDaysAgo(app, 10, 2);

    retention = startAuditRetention(app, { intervalMs: 50 });
    await eventually(async () => (await ages(app!)).length === 2, 'the 45-day-old rows to be pruned at start');
    expect(await ages(app)).toEqual([10, 10]);

    // A row past the retention that turns up later goes on a later tick, without calling anything.
    await writtenDaysAgo(app, 31, 1, 'user.created');
    await eventually(async () => (await ages(app!)).length === 2, 'the next tick to prune the 31-day-old row');
    expect(await ages(app)).toEqual([10, 10]);
    expect(await retention.runNow()).toBe(0);

    await retention.stop();
    await writtenDaysAgo(app, 60, 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await ages(app)).toEqual([10, 10, 60]);
  });

  test('without the setting, rows are kept 180 days', async () => {
    app = await loadApp(DEFAULTS_APP, { databaseUrl: target.url, logger: silentLogger, env: ENV });
    expect(app.settings.audit.retentionDays).toBe(180);
    await app.db.run((m) => m.query('DELETE FROM audit_events'));
    await writtenDaysAgo(app, 181, 2);
    await writtenDaysAgo(app, 179, 1);
    retention = startAuditRetention(app, { intervalMs: 60_000 });
    expect(await retention.runNow()).toBe(0); // the run at start got there first
    expect(await ages(app)).toEqual([179]);
  });
});
