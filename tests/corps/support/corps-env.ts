/**
 * Test support for the corps family: the demo org served by the DingTalk simulator over real HTTP
 * (Acme and Globex, members changed at run time with sim.addMember / removeMember), fixture apps
 * loaded through the library on a real database, and DingTalk logins as the pages make them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadApp } from '../../../runtime/load-app';
import { createLogger } from '../../../runtime/logger';
import type { AppHandle } from '../../../runtime/app-types';
import type { SimulatorHandle } from '../../../sim/types';
import { simulatorEnv } from '../../../sim/env';
import type { DDInnerType } from '../../../elements/auths/loginTypes/DDInnerType/DDInnerType';
import type { DingTalkLoggedInResult } from '../../../elements/auths/loginTypes/DDInnerType/login-result';
import { CORP_A, CORP_B } from '../../login/support/login-env';

export { CORP_A, CORP_B, errorCode, startSimulator } from '../../login/support/login-env';
export { scratchDatabase, type ScratchDatabase } from '../../helpers/scratch-database';

export const FIXTURES = path.resolve(__dirname, '../fixtures');
export const TWO_ORGS_APP = path.join(FIXTURES, 'two-orgs-app');
export const ACME_LOGIN = 'auths.loginTypes.acmeLogin';
export const GLOBEX_LOGIN = 'auths.loginTypes.globexLogin';
export const ACME_CORP = 'corps.acme';
export const APP_ENV = { DD_APP_SECRET_A: CORP_A.appSecret, DD_APP_SECRET_B: CORP_B.appSecret };

export interface CorpsApp {
  app: AppHandle;
  /** Every log line (parsed). */
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/** An app folder loaded through the library against `sim`, on `databaseUrl`. */
export async function openApp(dir: string, sim: SimulatorHandle, databaseUrl: string, extraEnv: Record<string, string> = {}): Promise<CorpsApp> {
  const logs: Array<Record<string, unknown>> = [];
  const app = await loadApp(dir, {
    databaseUrl,
    env: { ...APP_ENV, ...simulatorEnv(sim), ...extraEnv },
    logger: createLogger({ level: 'debug', sink: (line) => logs.push(JSON.parse(line)) }),
  });
  return { app, logs, close: () => app.close() };
}

/** A workbench login through the login element, as the in-DingTalk page makes it. */
export async function workbenchLogin(app: AppHandle, login: string, sim: SimulatorHandle, corpId: string, userid: string): Promise<DingTalkLoggedInResult> {
  const result = await app.getElement<DDInnerType>(login).loginByWorkbench(sim.mintWorkbenchCode(corpId, userid), 'mobile');
  if (result.status !== 'LOGGED_IN') throw new Error(`expected LOGGED_IN, got ${result.status}`);
  return result;
}

/** A temporary copy of a fixture app folder (tests that edit config files); `remove()` deletes it. */
export function copyApp(dir: string): { dir: string; remove(): void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jit-corps-'));
  const copy = path.join(root, path.basename(dir));
  fs.cpSync(dir, copy, { recursive: true, filter: (src) => !src.includes(`${path.sep}.jit`) });
  return { dir: copy, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

export function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}

export function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}
