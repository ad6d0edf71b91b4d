/**
 * The app the events suite watches: a DingTalk login for a generated corp (the simulator process
 * generates the same org from the same options) and a corp naming it with `sync.events`, created as
 * `jit create` would (secret as `{{DD_APP_SECRET}}` in .env), on the app's default SQLite file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { generateOrg, type GenerateOrgOptions, type SimApp, type SimCorp } from '../../sim';
import { BENCH_TMP, REPO_ROOT } from '../lib/paths';

export const EVENTS_LOGIN = 'auths.loginTypes.benchLogin';
export const EVENTS_CORP = 'corps.benchCorp';
export const EVENTS_ORG: GenerateOrgOptions = { members: 200, seed: 1, corpName: 'Bench Corp' };

export interface EventsApp {
  dir: string;
  corp: SimCorp;
  dingApp: SimApp;
  databaseFile: string;
}

export function prepareEventsApp(folder = 'events-app'): EventsApp {
  const corp = generateOrg(EVENTS_ORG).corps[0];
  const dingApp = corp.apps[0];
  const dir = path.join(BENCH_TMP, folder);
  fs.rmSync(dir, { recursive: true, force: true });
  const write = (file: string, value: unknown) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
  };
  const element = (fullName: string) => path.join(dir, ...fullName.split('.'));
  const schema = (from: string, name: string) => path.relative(from, path.join(REPO_ROOT, 'schemas', name)).split(path.sep).join('/');
  write(path.join(dir, 'app.json'), { appId: 'bench.events', title: 'Events benchmark', version: '1.0.0', extends: [] });
  fs.writeFileSync(path.join(dir, '.env'), `DD_APP_SECRET=${dingApp.appSecret}\n`);
  const login = element(EVENTS_LOGIN);
  write(path.join(login, 'e.json'), { title: 'DingTalk login (benchmark)', type: 'auths.loginTypes.DDInnerType' });
  write(path.join(login, `${path.basename(login)}.json`), {
    $schema: schema(login, 'auths.loginTypes.DDInnerType.config.json'),
    authConfig: { appKey: dingApp.appKey, appSecret: '{{DD_APP_SECRET}}', agentId: dingApp.agentId, corpId: corp.corpId },
    binding: { autoBind: true, match: [{ source: 'mobile', target: 'phone' }], whenNotAssociated: 'createUser' },
  });
  const corpDir = element(EVENTS_CORP);
  write(path.join(corpDir, 'e.json'), { title: 'Bench Corp', type: 'corps.DDInnerType' });
  write(path.join(corpDir, `${path.basename(corpDir)}.json`), { $schema: schema(corpDir, 'corps.DDInnerType.config.json'), authFullName: EVENTS_LOGIN, sync: { events: true } });
  return { dir, corp, dingApp, databaseFile: path.join(dir, '.jit', 'app.db') };
}
