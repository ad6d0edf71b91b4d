/**
 * The org sync suites' own fixture data (kept beside them: nothing here starts anything but through
 * tests/helpers): a generated org served by the simulator, the fixture app (tests/sync/fixtures/org-app:
 * a DingTalk login and the corp that names it), and readers of the database itself (row counts,
 * whole-table dumps) to check what a run wrote.
 *
 * The simulator's org is fixed while it runs, so a change in DingTalk is a new simulator with a
 * modified org (`withSimulator`); each sync opens the app against the simulator of the moment, on
 * the same database.
 */
import * as path from 'node:path';
import type { AppHandle } from '../../runtime/app-types';
import { generateOrg } from '../../sim';
import type { SimCorp, SimOrg, SimOrgUser, SimulatorHandle, SimulatorOptions } from '../../sim/types';
import type { DDInnerType } from '../../elements/auths/loginTypes/DDInnerType/DDInnerType';
import type { DDInnerCorpType } from '../../elements/corps/DDInnerType/DDInnerCorpType';
import type { SyncOptions, SyncSummary } from '../../elements/corps/sync';
import { openLoginApp, type LoginAppOptions } from '../helpers/login-app';
import { withSimulator as withSimulatorOf } from '../helpers/simulator';

/** The organisation and DingTalk app the fixture app's config names. */
export const SYNC_CORP = {
  corpId: 'dingsyncfixturecorp0000000000001',
  appKey: 'dingsyncfixture00001',
  appSecret: 'SyncFixtureSecret0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0',
  agentId: 3012340001,
};
/** The DingTalk login of the fixture app. */
export const INSTANCE = 'auths.loginTypes.orgLogin';
/** The corp that names it: what is synced. */
export const CORP = 'corps.orgCorp';
export const FIXTURE_APP = path.resolve(__dirname, 'fixtures/org-app');
export const APP_ENV = { SYNC_APP_SECRET: SYNC_CORP.appSecret };

/** The org of the 1,000-member tests: root + 4 + 16 + 64 departments, a quarter of people in two. */
export function generatedOrg(members = 1000): SimOrg {
  return generateOrg({
    members,
    depth: 3,
    breadth: 4,
    multiDeptShare: 0.25,
    seed: 11,
    corpId: SYNC_CORP.corpId,
    corpName: 'Sync Fixture Corp',
    app: { appKey: SYNC_CORP.appKey, appSecret: SYNC_CORP.appSecret, agentId: SYNC_CORP.agentId },
  });
}

export function corpOf(org: SimOrg): SimCorp {
  return org.corps[0];
}

export function memberIn(org: SimOrg, userid: string): SimOrgUser {
  const user = corpOf(org).users.find((u) => u.userid === userid);
  if (!user) throw new Error(`no member ${userid} in the org`);
  return user;
}

/** A deep copy to modify ("what DingTalk says next"). */
export function cloneOrg(org: SimOrg): SimOrg {
  return structuredClone(org);
}

/** topapi/v2/user/list calls a complete walk makes: one per page, one for an empty department. */
export function expectedMemberPages(org: SimOrg, pageSize: number): number {
  const corp = corpOf(org);
  return corp.departments.reduce((sum, dept) => {
    const direct = corp.users.filter((u) => u.dept_id_list.includes(dept.dept_id)).length;
    return sum + Math.max(1, Math.ceil(direct / pageSize));
  }, 0);
}

/** (member, department) pairs in the org. */
export function membershipCount(org: SimOrg): number {
  return corpOf(org).users.reduce((sum, u) => sum + new Set(u.dept_id_list).size, 0);
}

/**
 * The paid tier on both sides (60 calls a second per API; the fixture's dingtalk.qps is 60): 1,000-member
 * syncs stay quick. DingTalk's default 20 is paced in tests/client and measured in npm run bench.
 */
export const SYNC_SIMULATOR: SimulatorOptions = { seed: 5, qps: 60 };

/** The fixture app against `sim` on `databaseUrl`; silent, since a 1,000-member sync logs a lot. */
export function syncAppOptions(sim: SimulatorHandle, databaseUrl: string): LoginAppOptions {
  return { sim, app: FIXTURE_APP, env: APP_ENV, database: { url: databaseUrl }, logs: 'silent' };
}

export interface SyncApp {
  app: AppHandle;
  auth: DDInnerType;
  corp: DDInnerCorpType;
  close(): Promise<void>;
}

/** The fixture app on `databaseUrl`, talking to `sim` (useLoginApp's app, named for sync). */
export async function openSyncApp(sim: SimulatorHandle, databaseUrl: string): Promise<SyncApp> {
  const env = await openLoginApp(syncAppOptions(sim, databaseUrl));
  return { app: env.app, auth: env.auth(INSTANCE), corp: env.corp(CORP), close: () => env.close() };
}

/** DingTalk as `org` says, for the duration of fn. */
export function withSimulator<T>(org: SimOrg, fn: (sim: SimulatorHandle) => Promise<T>): Promise<T> {
  return withSimulatorOf({ ...SYNC_SIMULATOR, org }, fn);
}

/** The app opened against `sim` for the duration of fn. */
export async function withSyncApp<T>(sim: SimulatorHandle, databaseUrl: string, fn: (env: SyncApp) => Promise<T>): Promise<T> {
  const env = await openSyncApp(sim, databaseUrl);
  try {
    return await fn(env);
  } finally {
    await env.close();
  }
}

/** One sync of the fixture corp against `sim`. */
export function syncAgainst(sim: SimulatorHandle, databaseUrl: string, options: SyncOptions = {}): Promise<SyncSummary> {
  return withSyncApp(sim, databaseUrl, ({ corp }) => corp.syncCorp(options));
}

export const SYNC_TABLES = ['users', 'dd_inner_auth', 'corp_departments', 'corp_members', 'corp_department_members'] as const;
/** Bookkeeping columns a run writes whether or not anything changed: the run stamp. */
const STAMP_COLUMNS = ['lastRunId'];
export type SyncTable = (typeof SYNC_TABLES)[number];

/** Rows counted in the database itself, optionally where one column equals a value. */
export async function countRows(app: AppHandle, table: SyncTable, where?: { column: string; value: string }): Promise<number> {
  const placeholder = app.db.kind === 'postgres' ? '$1' : '?';
  const sql = `SELECT COUNT(*) AS n FROM ${table}${where ? ` WHERE "${where.column}" = ${placeholder}` : ''}`;
  const rows: Array<{ n: string | number }> = await app.db.dataSource.query(sql, where ? [where.value] : []);
  return Number(rows[0].n);
}

/**
 * Every row of every table sync writes, in a stable order: equal dumps mean nothing was written (but
 * the run stamp each run leaves on the members it listed, which is not a change).
 */
export async function dumpTables(app: AppHandle): Promise<Record<SyncTable, unknown[]>> {
  const dump = {} as Record<SyncTable, unknown[]>;
  for (const table of SYNC_TABLES) {
    const rows: Array<Record<string, unknown>> = await app.db.dataSource.query(`SELECT * FROM ${table} ORDER BY id`);
    dump[table] = rows.map((row) => Object.fromEntries(Object.entries(row).filter(([column]) => !STAMP_COLUMNS.includes(column))));
  }
  return dump;
}

export async function rowCounts(app: AppHandle): Promise<Record<SyncTable, number>> {
  const counts = {} as Record<SyncTable, number>;
  for (const table of SYNC_TABLES) counts[table] = await countRows(app, table);
  return counts;
}
