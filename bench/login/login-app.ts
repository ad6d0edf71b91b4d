/**
 * The app the login suite serves: one DDInnerType instance for a generated corp of LOGIN_ORG's size
 * (the simulator process generates the same org from the same options), created
 * exactly as `jit create` would (secret as `{{DD_APP_SECRET}}` in .env), auto-binding by mobile and
 * creating local users on first login.
 */
import * as fs from 'fs';
import * as path from 'path';
import { generateOrg, type GenerateOrgOptions } from '../../sim';
import type { SimApp, SimCorp, SimOrgUser } from '../../sim';
import { BENCH_TMP, REPO_ROOT } from '../lib/paths';

export const LOGIN_INSTANCE = 'auths.loginTypes.benchDDLogin';
export const LOGIN_APP_ID = 'bench.login';
/** 200 members: logins spread over many users and bindings, while the cold start (every member's
 *  first login creates a local user) stays short. */
export const LOGIN_ORG: GenerateOrgOptions = { members: 200, seed: 1, corpName: 'Bench Corp' };

export interface LoginApp {
  dir: string;
  corp: SimCorp;
  dingApp: SimApp;
  /** Members who can log in (active), in a stable order. */
  members: SimOrgUser[];
  /** The SQLite file the host uses (the default location). */
  databaseFile: string;
}

/** Writes the app under bench/tmp/<folder> (replacing what was there). */
export function prepareLoginApp(folder = 'login-app'): LoginApp {
  const org = generateOrg(LOGIN_ORG);
  const corp = org.corps[0];
  const dingApp = corp.apps[0];
  const members = corp.users.filter((u) => u.active !== false);
  const dir = path.join(BENCH_TMP, folder);
  fs.rmSync(dir, { recursive: true, force: true });
  const elementDir = path.join(dir, ...LOGIN_INSTANCE.split('.'));
  fs.mkdirSync(elementDir, { recursive: true });
  const write = (file: string, value: unknown) => fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
  const name = path.basename(elementDir);
  write(path.join(dir, 'app.json'), { appId: LOGIN_APP_ID, title: 'Login benchmark', version: '1.0.0', extends: [] });
  fs.writeFileSync(path.join(dir, '.env'), `DD_APP_SECRET=${dingApp.appSecret}\n`);
  write(path.join(elementDir, 'e.json'), { title: 'DingTalk login (benchmark)', type: 'auths.loginTypes.DDInnerType' });
  write(path.join(elementDir, `${name}.json`), {
    $schema: path.relative(elementDir, path.join(REPO_ROOT, 'schemas', 'auths.loginTypes.DDInnerType.config.json')).split(path.sep).join('/'),
    authConfig: { appKey: dingApp.appKey, appSecret: '{{DD_APP_SECRET}}', agentId: dingApp.agentId, corpId: corp.corpId },
    scope: 'openid corpid',
    binding: { autoBind: true, match: [{ source: 'mobile', target: 'phone' }], whenNotAssociated: 'createUser' },
    isActive: true,
  });
  return { dir, corp, dingApp, members, databaseFile: path.join(dir, '.jit', 'app.db') };
}

/** Removes the app's database so a host starts from an empty one (migrations run on start). */
export function resetDatabase(app: LoginApp): void {
  fs.rmSync(path.dirname(app.databaseFile), { recursive: true, force: true });
}
