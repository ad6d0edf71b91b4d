/**
 * DingTalk logins as the pages make them, through the library (no HTTP), against the simulator; and
 * small readers of their outcomes (a JitError's code, a binding ticket, rows in the database itself).
 */
import type { AppHandle } from '../../runtime/app-types';
import type { SimulatorHandle } from '../../sim/types';
import type { DDInnerType } from '../../elements/auths/loginTypes/DDInnerType/DDInnerType';
import type { BindRequiredResult } from '../../runtime';
import type { DingTalkLoggedInResult, DingTalkLoginResult } from '../../elements/auths/loginTypes/DDInnerType/login-result';
import type { BindingProof } from '../../elements/auths/loginTypes/DDInnerType/binding/complete-binding';
import { CORP_A } from './demo-org';
import type { LoginApp, SentCode } from './login-app';

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

/** A workbench login through one login element, which must log the member in. */
export async function workbenchLoginThrough(app: AppHandle, login: string, sim: SimulatorHandle, corpId: string, userid: string): Promise<DingTalkLoggedInResult> {
  const result = await app.getElement<DDInnerType>(login).loginByWorkbench(sim.mintWorkbenchCode(corpId, userid), 'mobile');
  if (result.status !== 'LOGGED_IN') throw new Error(`expected LOGGED_IN, got ${result.status}`);
  return result;
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
export async function countRows(app: AppHandle, table: string, where?: { column: string; value: string }): Promise<number> {
  const placeholder = app.db.kind === 'postgres' ? '$1' : '?';
  const sql = `SELECT COUNT(*) AS n FROM ${table}${where ? ` WHERE "${where.column}" = ${placeholder}` : ''}`;
  const rows: Array<{ n: string | number }> = await app.db.dataSource.query(sql, where ? [where.value] : []);
  return Number(rows[0].n);
}
