/**
 * The app the org sync runs in: the login suite's DingTalk login (same generated corp, `members` of
 * them) plus a corp element (`corps.benchCorp`) that names it, as `jit create` writes them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { generateOrg, type GenerateOrgOptions } from '../../sim';
import { BENCH_TMP, REPO_ROOT } from '../lib/paths';

export const SYNC_CORP = 'corps.benchCorp';

export interface SyncApp {
  dir: string;
  corpId: string;
  appKey: string;
  appSecret: string;
  org: GenerateOrgOptions;
}

export function prepareSyncApp(members: number): SyncApp {
  const orgOptions: GenerateOrgOptions = { members, seed: 1, corpName: 'Bench Corp' };
  const org = generateOrg(orgOptions);
  const corp = org.corps[0];
  const dingApp = corp.apps[0];
  const dir = path.join(BENCH_TMP, `sync-app-${members}`);
  fs.rmSync(dir, { recursive: true, force: true });
  const write = (file: string, value: unknown) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
  };
  const schema = (from: string, name: string) => path.relative(from, path.join(REPO_ROOT, 'schemas', name)).split(path.sep).join('/');
  write(path.join(dir, 'app.json'), { appId: 'bench.sync', title: 'Org sync benchmark', version: '1.0.0', extends: [] });
  fs.writeFileSync(path.join(dir, '.env'), `DD_APP_SECRET=${dingApp.appSecret}\n`);
  const loginDir = path.join(dir, 'auths', 'loginTypes', 'benchDDLogin');
  write(path.join(loginDir, 'e.json'), { title: 'DingTalk login (benchmark)', type: 'auths.loginTypes.DDInnerType' });
  write(path.join(loginDir, 'benchDDLogin.json'), {
    $schema: schema(loginDir, 'auths.loginTypes.DDInnerType.config.json'),
    authConfig: { appKey: dingApp.appKey, appSecret: '{{DD_APP_SECRET}}', agentId: dingApp.agentId, corpId: corp.corpId },
    scope: 'openid corpid',
    binding: { autoBind: true, match: [{ source: 'mobile', target: 'phone' }], whenNotAssociated: 'createUser' },
    isActive: true,
  });
  const corpDir = path.join(dir, 'corps', 'benchCorp');
  write(path.join(corpDir, 'e.json'), { title: 'Bench Corp', type: 'corps.DDInnerType' });
  write(path.join(corpDir, 'benchCorp.json'), { $schema: schema(corpDir, 'corps.DDInnerType.config.json'), authFullName: 'auths.loginTypes.benchDDLogin' });
  return { dir, corpId: corp.corpId, appKey: dingApp.appKey, appSecret: dingApp.appSecret, org: orgOptions };
}
