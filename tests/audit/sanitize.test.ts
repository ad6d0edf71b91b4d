/**
 * The details sanitizer: what an audit row may keep. Keys that name a secret or a one-time value go
 * whole, at any depth; registered secrets are masked wherever they appear; sizes are capped.
 */
import { isSecretKey, sanitizeDetails } from '../../runtime/audit';
import { forgetSecret, registerSecret } from '../../runtime/secrets';

const APP_SECRET = 'kgPoYqnCDoYzBKbftfOoXTZhQ8stzhe6SVI34Zwh8Xms9bmOxojRlO8f2NxmZQqD';
const QUOTED_SECRET = 'sec"ret\\with-quotes-1234';

beforeAll(() => {
  registerSecret(APP_SECRET);
  registerSecret(QUOTED_SECRET);
});
afterAll(() => {
  forgetSecret(APP_SECRET);
  forgetSecret(QUOTED_SECRET);
});

test('keys naming secrets and one-time values are dropped; others are kept', () => {
  const dropped = [
    'code', 'authCode', 'auth_code', 'tmpAuthCode', 'smsCode', 'verificationCode', 'state', 'loginState', 'token', 'accessToken', 'access_token',
    'refreshToken', 'sessionToken', 'ticket', 'bindTicket', 'password', 'newPassword', 'passwordHash', 'tokenHash', 'secret', 'appSecret',
    'client_secret', 'Cookie', 'Authorization', 'apiKey', 'browserKey', 'signature', 'credentials',
  ];
  for (const key of dropped) expect([key, isSecretKey(key)]).toEqual([key, true]);
  const kept = ['errorCode', 'statusCode', 'subCode', 'flow', 'platform', 'binding', 'bindingId', 'fields', 'sessions', 'username', 'source', 'reason', 'via'];
  for (const key of kept) expect([key, isSecretKey(key)]).toEqual([key, false]);
});

test('secret keys go at any depth, in arrays too', () => {
  const text = sanitizeDetails({
    flow: 'completeBinding',
    proof: { username: 'zhang.local', password: 'pa55word-zhang', nested: { verificationCode: '123456' } },
    attempts: [{ code: 'auth-code-1', ok: false }, { bindTicket: 'ticket-abc', ok: true }],
    headers: { Authorization: 'Bearer abc', 'user-agent': 'ua' },
  });
  expect(JSON.parse(text!)).toEqual({
    flow: 'completeBinding',
    proof: { username: 'zhang.local', nested: {} },
    attempts: [{ ok: false }, { ok: true }],
    headers: { 'user-agent': 'ua' },
  });
  for (const value of ['pa55word-zhang', '123456', 'auth-code-1', 'ticket-abc', 'Bearer abc']) expect(text).not.toContain(value);
});

test('registered secrets are masked wherever they appear, JSON escaping included', () => {
  const text = sanitizeDetails({ message: `DingTalk said: bad appsecret ${APP_SECRET}`, [`key-${APP_SECRET}`]: 1, quoted: `x ${QUOTED_SECRET} y` })!;
  expect(text).not.toContain(APP_SECRET);
  expect(text).not.toContain(JSON.stringify(QUOTED_SECRET).slice(1, -1));
  expect(JSON.parse(text)).toEqual({ message: 'DingTalk said: bad appsecret [redacted]', 'key-[redacted]': 1, quoted: 'x [redacted] y' });
});

test('values become plain JSON: dates, errors without their message, no functions; cycles and depth are cut', () => {
  const err = Object.assign(new Error(`token ${APP_SECRET} rejected`), { code: 'CREDENTIALS_INVALID' });
  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic.self = cyclic;
  const details = { when: new Date('2026-12-01T00:00:00Z'), err, fn: () => 1, big: BigInt(10), cyclic, deep: { a: { b: { c: { d: { e: { f: 1 } } } } } } };
  expect(JSON.parse(sanitizeDetails(details)!)).toEqual({
    when: '2026-12-01T00:00:00.000Z',
    err: { name: 'Error', code: 'CREDENTIALS_INVALID' },
    big: '10',
    cyclic: { name: 'loop', self: '[circular]' },
    deep: { a: { b: { c: { d: '[too deep]' } } } },
  });
});

test('sizes are capped; nothing left is null', () => {
  expect(JSON.parse(sanitizeDetails({ note: 'x'.repeat(5000) })!).note).toHaveLength(1001);
  const huge = Object.fromEntries(Array.from({ length: 90 }, (_, i) => [`k${i}`, 'y'.repeat(900)]));
  expect(JSON.parse(sanitizeDetails(huge)!)).toEqual({ truncated: true, keys: Object.keys(huge).slice(0, 20) });
  expect(sanitizeDetails({ password: 'p', token: 't' })).toBeNull();
  expect(sanitizeDetails(null)).toBeNull();
  expect(sanitizeDetails({})).toBeNull();
});
