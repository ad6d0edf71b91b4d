/**
 * A test app with a second login Type of its own (tests/fixtures/apps/own-login-app, its own
 * folder): it declares its error codes in its module and throws them through a host request over
 * real HTTP, getting its own status and code, with nothing in runtime/ knowing them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { http, useTestHost } from '../http/helpers';
import { fixture } from '../loader/fixtures';

const LOGIN = '/api/acme/totp/auths/loginTypes/acmeTotp/login';
const t = useTestHost({ fixture: fixture('own-login-app') });

test('the Type\'s own code comes back with its own status in the envelope', async () => {
  const res = await http(t.url, 'POST', LOGIN, { json: { code: '123456' } });
  expect(res.status).toBe(401);
  expect(res.body).toEqual({ success: false, error: { code: 'TOTP_CODE_WRONG', message: 'The code does not match' } });
  expect(t.app.errorCodes.lookup(res.body.error.code)).toMatchObject({ owner: 'acme/totp', status: 401 });
});

test('another of its codes, with Retry-After from its details', async () => {
  const res = await http(t.url, 'POST', LOGIN, { json: { code: 'locked' } });
  expect(res.status).toBe(423);
  expect(res.headers.get('retry-after')).toBe('300');
  expect(res.body.error.code).toBe('TOTP_DEVICE_LOCKED');
});

test('a login code every login Type shares works the same from the app\'s own Type', async () => {
  const res = await http(t.url, 'POST', LOGIN, { json: { code: 'disabled' } });
  expect(res.status).toBe(403);
  expect(res.body.error).toEqual({ code: 'USER_DISABLED', message: 'The local user is disabled' });
});

test('the sign-in page carries the Type\'s words for its codes', async () => {
  const res = await http(t.url, 'GET', '/login?lang=en');
  expect(res.status).toBe(200);
  expect(res.text).toContain('That code is not right. Check your authenticator app for {org}.');
});

test('runtime/ names none of the app\'s codes: they live in the app\'s own folder only', () => {
  const runtimeDir = path.join(__dirname, '..', '..', 'runtime');
  const hits: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|js|json)$/.test(entry.name) && /TOTP_|acme\/totp/.test(fs.readFileSync(full, 'utf8'))) hits.push(full);
    }
  };
  walk(runtimeDir);
  expect(hits).toEqual([]);
});
