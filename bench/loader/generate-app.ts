/**
 * Generates a benchmark app with N DDInnerType instances, each a valid, active login configuration
 * with its own corpId (active instances must not share one), its secret as a `{{ENV}}` reference
 * resolved from the app's .env, exactly as an app author writes it.
 *
 * Generated apps live under bench/tmp/ and are reused while their marker matches, since writing
 * 20,000 files costs seconds that measure the disk, not the runtime.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { BENCH_TMP, REPO_ROOT } from '../lib/paths';

/** Bump when the generated layout changes, so stale apps are regenerated. */
const GENERATOR_VERSION = 1;
const MARKER = '.bench-generated.json';

export const BENCH_SECRET_ENV = 'BENCH_DD_APP_SECRET';

export interface GeneratedApp {
  dir: string;
  instanceCount: number;
  /** fullNames of the generated instances, in order. */
  instances: string[];
  /** Whether this call wrote the files (false: reused). */
  written: boolean;
}

export function instanceName(i: number): string {
  return `ddLogin${String(i).padStart(5, '0')}`;
}

/** A deterministic, well-formed corpId (`ding` + 32 hex) unique per index. */
function corpIdFor(i: number): string {
  return 'ding' + crypto.createHash('sha256').update(`bench-corp-${i}`).digest('hex').slice(0, 32);
}

function appKeyFor(i: number): string {
  return 'ding' + crypto.createHash('sha256').update(`bench-app-${i}`).digest('hex').slice(0, 16);
}

export function generateLoaderApp(instanceCount: number): GeneratedApp {
  const dir = path.join(BENCH_TMP, `loader-app-${instanceCount}`);
  const instances = Array.from({ length: instanceCount }, (_, i) => `auths.loginTypes.${instanceName(i + 1)}`);
  const marker = path.join(dir, MARKER);
  const expected = JSON.stringify({ version: GENERATOR_VERSION, instanceCount });
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === expected) {
    return { dir, instanceCount, instances, written: false };
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const typesDir = path.join(dir, 'auths', 'loginTypes');
  fs.mkdirSync(typesDir, { recursive: true });
  writeJson(path.join(dir, 'app.json'), {
    appId: `bench.loader${instanceCount}`,
    title: `Loader benchmark (${instanceCount} instances)`,
    version: '1.0.0',
    extends: [],
  });
  const secret = crypto.createHash('sha512').update('bench-secret').digest('base64url').slice(0, 64);
  fs.writeFileSync(path.join(dir, '.env'), `${BENCH_SECRET_ENV}=${secret}\n`);
  const schemaFile = path.join(REPO_ROOT, 'schemas', 'auths.loginTypes.DDInnerType.config.json');
  for (let i = 1; i <= instanceCount; i++) {
    const name = instanceName(i);
    const elementDir = path.join(typesDir, name);
    fs.mkdirSync(elementDir);
    writeJson(path.join(elementDir, 'e.json'), {
      title: `DingTalk login ${i}`,
      type: 'auths.loginTypes.DDInnerType',
    });
    writeJson(path.join(elementDir, `${name}.json`), {
      $schema: path.relative(elementDir, schemaFile).split(path.sep).join('/'),
      authConfig: {
        appKey: appKeyFor(i),
        appSecret: `{{${BENCH_SECRET_ENV}}}`,
        agentId: 3_000_000_000 + i,
        corpId: corpIdFor(i),
      },
      scope: i % 2 === 0 ? 'openid corpid' : 'openid',
      binding: {
        autoBind: true,
        match: [{ source: 'mobile', target: 'phone' }],
        whenNotAssociated: 'createUser',
      },
      isActive: true,
    });
  }
  fs.writeFileSync(marker, expected);
  return { dir, instanceCount, instances, written: true };
}

function writeJson(file: string, value: unknown): void {
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}
