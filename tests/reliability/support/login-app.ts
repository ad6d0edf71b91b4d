/**
 * A throwaway app folder for the reliability and security suites, written from the simulator's org
 * so the credentials always match: one DDInnerType instance per corp given (createUser, autoBind by
 * mobile, or bindExisting), plus a PasswordType instance for the local accounts bindExisting proves.
 * Secrets stay out of the files: the config says `{{DD_SECRET_<n>}}` and the values travel in the
 * environment (`appEnv`), as the contract asks of real apps.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SimCorp } from '../../../sim/types';

export const APP_ID = 'acme.hr';
/** `/api/<orgId>/<appName>` of APP_ID. */
export const API_BASE = '/api/acme/hr';
export const AUTH_SERVICE = 'auths.loginTypes.DDInnerType.services.DDInnerAuthSvc';
export const PASSWORD_LOGIN = 'auths.loginTypes.staffPassword';

export interface LoginInstanceSpec {
  /** Instance name under auths/loginTypes/ (its fullName is auths.loginTypes.<name>). */
  name: string;
  corp: SimCorp;
  whenNotAssociated: 'createUser' | 'bindExisting' | 'reject';
  scope?: 'openid' | 'openid corpid';
}

export interface LoginApp {
  dir: string;
  /** The env vars the config references ({{DD_SECRET_<n>}} -> appSecret). */
  appEnv: Record<string, string>;
  /** Every appSecret the app holds, for leak checks. */
  secrets: string[];
  instances: Array<LoginInstanceSpec & { fullName: string }>;
  remove(): void;
}

export function writeLoginApp(instances: LoginInstanceSpec[], options: { withPasswordLogin?: boolean } = {}): LoginApp {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jit-rel-app-'));
  writeJson(path.join(dir, 'app.json'), { appId: APP_ID, title: 'Acme HR', version: '1.0.0', extends: [] });
  const appEnv: Record<string, string> = {};
  instances.forEach((spec, index) => {
    const app = spec.corp.apps[0];
    const variable = `DD_SECRET_${index + 1}`;
    appEnv[variable] = app.appSecret;
    const folder = path.join(dir, 'auths', 'loginTypes', spec.name);
    writeJson(path.join(folder, 'e.json'), { title: `DingTalk: ${spec.corp.name}`, type: 'auths.loginTypes.DDInnerType' });
    const binding =
      spec.whenNotAssociated === 'createUser'
        ? { autoBind: true, match: [{ source: 'mobile', target: 'phone' }], whenNotAssociated: 'createUser' }
        : { autoBind: false, whenNotAssociated: spec.whenNotAssociated };
    writeJson(path.join(folder, `${spec.name}.json`), {
      authConfig: { appKey: app.appKey, appSecret: `{{${variable}}}`, agentId: app.agentId, corpId: spec.corp.corpId },
      scope: spec.scope ?? 'openid',
      binding,
      isActive: true,
    });
  });
  if (options.withPasswordLogin) {
    writeJson(path.join(dir, 'auths', 'loginTypes', 'staffPassword', 'e.json'), { title: 'Staff account', type: 'auths.loginTypes.PasswordType' });
  }
  return {
    dir,
    appEnv,
    secrets: instances.map((i) => i.corp.apps[0].appSecret),
    instances: instances.map((i) => ({ ...i, fullName: `auths.loginTypes.${i.name}` })),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** The HTTP path of an element function of the app. */
export function functionPath(fullName: string, functionName: string): string {
  return `${API_BASE}/${fullName.split('.').join('/')}/${functionName}`;
}

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}
