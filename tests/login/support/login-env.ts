/**
 * Test support for the login suites: a started DingTalk simulator (real HTTP), fixture apps from
 * tests/fixtures/login loaded through the library on a real database (a SQLite file, or a fresh
 * database on the test PostgreSQL server), every log line captured, and the verification codes the
 * app sends collected instead of texted.
 */
import * as path from 'node:path';
import { loadApp } from '../../../runtime/load-app';
import { createLogger } from '../../../runtime/logger';
import type { AppHandle, LoadAppOptions } from '../../../runtime/app-types';
import type { DatabaseKind } from '../../../runtime/db/types';
import type { VerificationSender } from '../../../runtime/auth/types';
import type { SimulatorHandle } from '../../../sim/types';
import { startSimulator, simulatorEnv } from '../../../sim';
import type { DDInnerType } from '../../../elements/auths/loginTypes/DDInnerType/DDInnerType';
import type { DDInnerAuthSvc } from '../../../elements/auths/loginTypes/DDInnerType/services/DDInnerAuthSvc/DDInnerAuthSvc';
import type { DDInnerAuthModel } from '../../../elements/auths/loginTypes/DDInnerType/DDInnerAuthModel/DDInnerAuthModel';
import { describeWithPostgres } from '../../helpers/requirements';
import type { BindRequiredResult } from '../../../runtime';
import type { DingTalkLoginResult } from '../../../elements/auths/loginTypes/DDInnerType/login-result';
import type { BindingProof } from '../../../elements/auths/loginTypes/DDInnerType/binding/complete-binding';

/** The demo org (sim/orgs/demo.json), as the brief gives it. */
export const CORP_A = {
  corpId: 'ding5f1e0c2b9a7d4e3f8c6b1a0d2e4f6a8c',
  appKey: 'dinga1b2c3d4e5f6g7h8',
  appSecret: 'kgPoYqnCDoYzBKbftfOoXTZhQ8stzhe6SVI34Zwh8Xms9bmOxojRlO8f2NxmZQqD',
  agentId: 3012345678,
};
export const CORP_B = {
  corpId: 'ding0a1b2c3d4e5f60718293a4b5c6d7e8f9',
  appKey: 'dingz9y8x7w6v5u4t3s2',
  appSecret: 'GcwWdLLjTwr6ZQLikIubkNcFk2VUaIsdmk2Xty2Xa6BZNbrKIRaGSxoHYL9f6SN2',
  agentId: 3098765432,
};

export const SVC = 'auths.loginTypes.DDInnerType.services.DDInnerAuthSvc';
export const MODEL = 'auths.loginTypes.DDInnerType.DDInnerAuthModel';
export const ACME_LOGIN = 'auths.loginTypes.acmeLogin';

export type LoginFixture = 'create-user' | 'bind-existing' | 'reject' | 'subtype';
const FIXTURES = path.resolve(__dirname, '../../fixtures/login');

export { scratchDatabase, type ScratchDatabase } from '../../helpers/scratch-database';

/**
 * Registers the same suite body on a SQLite file and on PostgreSQL (skipped with a printed reason
 * when there is no server, failing instead under JIT_REQUIRE_PG=1).
 */
export function describeOnBothDatabases(title: string, body: (kind: DatabaseKind) => void): void {
  describe(`${title} [sqlite]`, () => body('sqlite'));
  describeWithPostgres(`${title} [postgres]`, () => body('postgres'));
}

export interface SentCode {
  phone: string;
  code: string;
  instance: string;
}

export interface LoginApp {
  app: AppHandle;
  /** Every log line the app wrote (JSON text), debug level included. */
  logs: string[];
  /** Verification codes "sent" (empty when the app uses the default log sender). */
  sentCodes: SentCode[];
  auth(name?: string): DDInnerType;
  svc: DDInnerAuthSvc;
  model: DDInnerAuthModel;
  close(): Promise<void>;
}

export interface OpenLoginAppOptions {
  sim: SimulatorHandle;
  databaseUrl: string;
  /** false: no sender of the test's own: the development sender (codes go to the log), as under --sim. */
  collectCodes?: boolean;
  /** Further loadApp options (e.g. passwordCost, developmentSender: false). */
  load?: Partial<LoadAppOptions>;
}

/** Loads a fixture app through the library, pointed at the simulator, with secrets from the env option. */
export async function openLoginApp(fixture: LoginFixture, options: OpenLoginAppOptions): Promise<LoginApp> {
  const logs: string[] = [];
  const sentCodes: SentCode[] = [];
  const verificationSender: VerificationSender = {
    async send(phone, code, context) {
      sentCodes.push({ phone, code, instance: context.instance });
    },
  };
  const { sim } = options;
  const app = await loadApp(path.join(FIXTURES, fixture), {
    databaseUrl: options.databaseUrl,
    env: { DD_APP_SECRET_A: CORP_A.appSecret, DD_APP_SECRET_B: CORP_B.appSecret, ...simulatorEnv(sim) },
    logger: createLogger({ level: 'debug', sink: (line) => logs.push(line) }),
    ...(options.collectCodes === false ? { developmentSender: true } : { verificationSender }),
    ...options.load,
  });
  return {
    app,
    logs,
    sentCodes,
    auth: (name = ACME_LOGIN) => app.getElement<DDInnerType>(name),
    svc: app.getElement<DDInnerAuthSvc>(SVC),
    model: app.getElement<DDInnerAuthModel>(MODEL),
    close: () => app.close(),
  };
}

export { startSimulator };

/** A member of the simulator's org (the handle's org is the live data the simulator answers from). */
export function simMember(sim: SimulatorHandle, corpId: string, userid: string) {
  const member = sim.org.corps.find((corp) => corp.corpId === corpId)?.users.find((user) => user.userid === userid);
  if (!member) throw new Error(`no member ${userid} in ${corpId}`);
  return member;
}

/** A QR login as the page does it: a fresh state from getLoginConfig, a code as if the person scanned. */
export function qrLogin(auth: DDInnerType, sim: SimulatorHandle, unionid: string, options: { corpId?: string } = {}) {
  const { state, appKey } = auth.getLoginConfig();
  const code = sim.mintQrCode(appKey, unionid, options);
  return auth.getLoginCode({ code, loginType: 'qr', platform: 'web', state });
}

/** A workbench login through the service, as the in-DingTalk page does it. */
export function workbenchLogin(env: LoginApp, sim: SimulatorHandle, userid: string, corpId = CORP_A.corpId) {
  return env.svc.loginByWorkbench(corpId, sim.mintWorkbenchCode(corpId, userid), 'mobile');
}

/**
 * completeBinding as the client the ticket was issued to. These library tests run outside any
 * browser, so the BIND_REQUIRED result handed back a clientKey, which the ticket's holder presents.
 */
export function completeAsHolder(env: LoginApp, required: BindRequiredResult, proof: unknown) {
  return env.svc.completeBinding(required.bindTicket, proof as BindingProof, { clientKey: required.clientKey });
}

export function ticketOf(result: DingTalkLoginResult): BindRequiredResult {
  if (result.status !== 'BIND_REQUIRED') throw new Error(`expected BIND_REQUIRED, got ${result.status}`);
  return result;
}

/** Waits for `count` verification codes to have been sent (the send runs after the answer). */
export async function codesSent(env: LoginApp, count: number, timeoutMs = 10_000): Promise<SentCode[]> {
  const deadline = Date.now() + timeoutMs;
  while (env.sentCodes.length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} verification code(s) sent, saw ${env.sentCodes.length}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return env.sentCodes;
}

/** The JitError a promise rejects with (fails the test when it resolves). */
export async function failureOf(promise: Promise<unknown>): Promise<{ code: string; message: string; details: Record<string, unknown> }> {
  try {
    await promise;
  } catch (err) {
    const e = err as { code?: string; message?: string; details?: Record<string, unknown> };
    return { code: e.code ?? `not a JitError: ${String(err)}`, message: e.message ?? '', details: e.details ?? {} };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** The JitError code a promise rejects with (fails the test when it resolves). */
export async function errorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return (err as { code?: string }).code ?? `not a JitError: ${String(err)}`;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Rows counted in the database itself (not through the stores), optionally where one column equals a value. */
export async function countRows(app: AppHandle, table: 'users' | 'dd_inner_auth' | 'sessions' | 'failure_counters', where?: { column: string; value: string }): Promise<number> {
  const placeholder = app.db.kind === 'postgres' ? '$1' : '?';
  const sql = `SELECT COUNT(*) AS n FROM ${table}${where ? ` WHERE "${where.column}" = ${placeholder}` : ''}`;
  const rows: Array<{ n: string | number }> = await app.db.dataSource.query(sql, where ? [where.value] : []);
  return Number(rows[0].n);
}
