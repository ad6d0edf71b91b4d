/** `/healthz`, `/api/me` and `/api/logout` over real HTTP, with cookie and Bearer sessions. */
import { ACME_LOGIN, corpA, http, member, qrLogin, useTestHost } from './helpers';

const t = useTestHost();


test('GET /healthz is {"status":"ok"} without the envelope', async () => {
  const res = await http(t.url, 'GET', '/healthz');
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ status: 'ok' });
});

test('GET /api/me without a session is 401 LOGIN_REQUIRED; a malformed cookie or header is simply no session', async () => {
  for (const headers of <Array<Record<string, string>>>[{}, { cookie: 'jit_session=%%%; ;=;' }, { cookie: 'jit_session="short"' }, { authorization: 'Basic abc' }, { authorization: 'Bearer' }]) {
    const res = await http(t.url, 'GET', '/api/me', { headers });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ success: false, error: { code: 'LOGIN_REQUIRED', message: expect.any(String) } });
  }
});

test('GET /api/me shows the signed-in user (no password hash) by cookie or Bearer', async () => {
  const zhangsan = member(corpA, 'zhangsan');
  const login = await qrLogin(t, ACME_LOGIN, zhangsan.unionid);
  const token = login.body.data.token as string;
  for (const headers of <Array<Record<string, string>>>[{ cookie: `jit_session=${token}` }, { authorization: `Bearer ${token}` }]) {
    const me = await http(t.url, 'GET', '/api/me', { headers });
    expect(me.status).toBe(200);
    expect(me.headers.get('cache-control')).toBe('no-store');
    expect(me.body.success).toBe(true);
    expect(me.body.data.user).toMatchObject({ id: login.body.data.userId, displayName: zhangsan.name, phone: zhangsan.mobile });
    expect(Object.keys(me.body.data.user).join(',')).not.toMatch(/hash|password|salt/i);
    expect(typeof me.body.data.session.expiresAt).toBe('string');
  }
});

test('POST /api/logout revokes the session and clears the cookie; the token no longer works', async () => {
  const login = await qrLogin(t, ACME_LOGIN, member(corpA, 'lisi').unionid);
  const token = login.body.data.token as string;
  const out = await http(t.url, 'POST', '/api/logout', { headers: { cookie: `jit_session=${token}` } });
  expect(out.status).toBe(200);
  expect(out.body).toEqual({ success: true, data: { loggedOut: true, revoked: true } });
  expect(out.headers.getSetCookie().find((c) => c.startsWith('jit_session='))).toMatch(/^jit_session=;.*Max-Age=0/);
  expect((await http(t.url, 'GET', '/api/me', { headers: { cookie: `jit_session=${token}` } })).status).toBe(401);
  expect((await http(t.url, 'GET', '/api/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  const again = await http(t.url, 'POST', '/api/logout', { headers: { authorization: `Bearer ${token}` } });
  expect(again.body).toEqual({ success: true, data: { loggedOut: true, revoked: false } });
});

test('a disabled user\'s session no longer authenticates', async () => {
  const login = await qrLogin(t, ACME_LOGIN, member(corpA, 'zhaoliu').unionid);
  await t.app.users.update(login.body.data.userId, { disabled: true });
  const me = await http(t.url, 'GET', '/api/me', { headers: { authorization: `Bearer ${login.body.data.token}` } });
  expect(me.status).toBe(401);
});
