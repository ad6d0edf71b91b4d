/**
 * No process-wide secret state (issue #17 item 4): each loaded app owns its secret registry. Two apps
 * in one process share nothing: each app's registry and logger hold its own secrets only, closing one
 * app forgets its secrets and leaves the other's masked, and a library caller's DDInnerClient keeps
 * its secret in a registry of its own that still masks its errors.
 */
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { loadApp } from '../../runtime/load-app';
import { createLogger, silentLogger } from '../../runtime/logger';
import { redactSecrets, REDACTED } from '../../runtime/secrets';
import { dingTalkRuntimeOf } from '../../dingtalk/client/app-runtime';
import { DDInnerClient } from '../../dingtalk/client';
import type { DDInnerType } from '../../elements/auths/loginTypes/DDInnerType/DDInnerType';
import { DEMO_APP, makeTemp, removeTemp } from '../loader/fixtures';

const SECRET_A = 'appAsecretAAAAAAappAsecretAAAAAAappAsecretAAAAAAappAsecretAAAAAA';
const SECRET_B = 'appBsecretBBBBBBappBsecretBBBBBBappBsecretBBBBBBappBsecretBBBBBB';
const LOGIN = 'auths.loginTypes.testDDLogin';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeTemp));

/** A copy of the demo app whose login's secret is `secret` (its own .env). */
function demoWithSecret(secret: string): string {
  const dir = makeTemp('secrets-per-app');
  dirs.push(dir);
  fs.cpSync(DEMO_APP, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, '.env'), `DD_APP_SECRET=${secret}\n`);
  return dir;
}

test('two apps in one process share no secret; closing one forgets its secrets and no other\'s', async () => {
  const a = await loadApp(demoWithSecret(SECRET_A), { database: false, logger: silentLogger });
  const b = await loadApp(demoWithSecret(SECRET_B), { database: false, logger: silentLogger });
  try {
    expect(a.getElement<DDInnerType>(LOGIN).authConfig.appSecret).toBe(SECRET_A);
    expect(b.getElement<DDInnerType>(LOGIN).authConfig.appSecret).toBe(SECRET_B);
    expect([a.secrets.has(SECRET_A), a.secrets.has(SECRET_B)]).toEqual([true, false]);
    expect([b.secrets.has(SECRET_B), b.secrets.has(SECRET_A)]).toEqual([true, false]);
    // The DingTalk clients of each app register their tokens in that app's registry.
    expect(dingTalkRuntimeOf(a).secrets).toBe(a.secrets);
    expect(dingTalkRuntimeOf(b).secrets).toBe(b.secrets);
    expect(dingTalkRuntimeOf(a).secrets).not.toBe(dingTalkRuntimeOf(b).secrets);

    // Each app's logger masks its app's secrets.
    const lines: string[] = [];
    const loggerOfA = createLogger({ sink: (line) => lines.push(line), secrets: a.secrets });
    loggerOfA.info(`a's secret ${SECRET_A}`);
    expect(lines.join('\n')).not.toContain(SECRET_A);
    expect(lines.join('\n')).toContain(REDACTED);
    // The process's last line of defence (responses, audit rows, CLI output) masks every open app's.
    expect(redactSecrets(`${SECRET_A} ${SECRET_B}`)).toBe(`${REDACTED} ${REDACTED}`);

    await b.close();
    expect(b.secrets.size).toBe(0);
    expect(redactSecrets(SECRET_B)).toBe(SECRET_B); // forgotten with its app
    expect(a.secrets.has(SECRET_A)).toBe(true); // untouched
    expect(redactSecrets(`leak ${SECRET_A}`)).toBe(`leak ${REDACTED}`);
    lines.length = 0;
    loggerOfA.warn('still masked', { secret: SECRET_A });
    expect(lines.join('\n')).not.toContain(SECRET_A);
  } finally {
    await b.close();
    await a.close();
  }
  expect(redactSecrets(SECRET_A)).toBe(SECRET_A);
});

test('a library caller\'s client registers its secret in its own registry, which masks the client\'s errors', async () => {
  const librarySecret = 'librarySecretCCCCCClibrarySecretCCCCCClibrarySecretCCCCCClibrary';
  // A host that echoes the request body (the secret) back in DingTalk's error message.
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'invalidClientSecret', message: `bad credentials: ${body}`, requestid: 'r1' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const client = new DDInnerClient({ credentials: { appKey: 'dinglibrarycaller000', appSecret: librarySecret }, hosts: { oapiUrl: url, apiUrl: url, loginUrl: url }, retry: { maxAttempts: 1 } });
    expect(client.runtime.secrets.has(librarySecret)).toBe(true);
    expect(redactSecrets(librarySecret)).toBe(librarySecret); // in no app's registry, nor the process's
    const error = await client.getAppAccessToken().then(() => undefined, (err: unknown) => err as Error & { details?: unknown });
    expect(error).toBeDefined();
    const said = `${error!.message} ${JSON.stringify(error!.details)}`;
    expect(said).toContain('bad credentials');
    expect(said).not.toContain(librarySecret);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
