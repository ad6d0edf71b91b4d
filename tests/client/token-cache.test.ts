/**
 * The app token cache against the simulator's token endpoint and counters: reuse within one DingTalk
 * runtime (and nowhere else), single flight on a cold cache, refresh ahead of expiry (the simulator's
 * clock and the client's moved together), and drop-and-retry-once when DingTalk refuses the token.
 */
import { startSimulator } from '../../sim';
import { REFRESH_AHEAD_MS, createDingTalkRuntime } from '../../dingtalk/client';
import { tokenCacheKey } from '../../dingtalk/client/token-cache';
import { CORP_A, clientFor, counts } from './helpers';
import { useSimulator } from '../helpers/simulator';

const TOKEN_LIFETIME_MS = 7200 * 1000;

// Needs no throttle: tests the token cache under 1,000 concurrent calls, not DingTalk's limit.
const sim = useSimulator({ qps: 'off' });

beforeEach(() => {
  sim.resetCounters();
  sim.clearFaults();
});

test('a second call reuses the token: no second token request', async () => {
  const { client } = clientFor(sim);
  await client.getMember('lisi');
  await client.getMember('wangwu');
  expect(counts(sim, 'oauth2/accessToken', 'topapi/v2/user/get')).toEqual({ 'oauth2/accessToken': 1, 'topapi/v2/user/get': 2 });
});

test('clients given one runtime share its token cache; a client given none shares nothing', async () => {
  const runtime = createDingTalkRuntime();
  await clientFor(sim, { runtime }).client.getMember('lisi');
  await clientFor(sim, { runtime }).client.getMember('lisi');
  expect(counts(sim, 'oauth2/accessToken')).toEqual({ 'oauth2/accessToken': 1 });

  // No process-wide cache any more: a client of its own fetches its own token.
  await clientFor(sim).client.getMember('lisi');
  expect(counts(sim, 'oauth2/accessToken')).toEqual({ 'oauth2/accessToken': 2 });
});

test('1,000 concurrent token requests on a cold cache make exactly one token call', async () => {
  const { client } = clientFor(sim);
  const tokens = await Promise.all(Array.from({ length: 1000 }, () => client.getAppAccessToken()));
  expect(new Set(tokens).size).toBe(1);
  expect(counts(sim, 'oauth2/accessToken')).toEqual({ 'oauth2/accessToken': 1 });
});

test('100 concurrent logins on a cold cache make exactly one token request', async () => {
  // 100, not 1,000: the app's call budget (DingTalk's 20 calls/s per API) paces the lookups; in the
  // sync lane, whose deadline lets a hundred wait their turn.
  const { client } = clientFor(sim, { lane: 'sync' });
  const unionId = 'S02kgVDIp4tlQI58g5TlsjiE';
  const userids = await Promise.all(Array.from({ length: 100 }, () => client.getUserIdByUnionId(unionId)));
  expect(new Set(userids)).toEqual(new Set(['lisi']));
  expect(counts(sim, 'oauth2/accessToken', 'topapi/user/getbyunionid')).toEqual({ 'oauth2/accessToken': 1, 'topapi/user/getbyunionid': 100 });
});

test('the token is refreshed ahead of expiry, not before the window and never after', async () => {
  let now = Date.now();
  const { client } = clientFor(sim, { now: () => now });
  const advance = (ms: number) => {
    now += ms;
    sim.advanceClock(ms);
  };
  await client.getMember('lisi');

  advance(TOKEN_LIFETIME_MS - REFRESH_AHEAD_MS - 60_000); // a minute before the refresh window
  await client.getMember('lisi');
  expect(counts(sim, 'oauth2/accessToken')).toEqual({ 'oauth2/accessToken': 1 });

  advance(2 * 60_000); // inside the window; the old token is still valid at DingTalk
  await client.getMember('lisi');
  // A new token was fetched before use, and no call was refused (3 calls, none retried).
  expect(counts(sim, 'oauth2/accessToken', 'topapi/v2/user/get')).toEqual({ 'oauth2/accessToken': 2, 'topapi/v2/user/get': 3 });
});

test('a failed refresh inside the window falls back to the still-valid token', async () => {
  let now = Date.now();
  const { client } = clientFor(sim, { now: () => now, retry: { maxAttempts: 2 } });
  await client.getMember('lisi');
  now += TOKEN_LIFETIME_MS - REFRESH_AHEAD_MS / 2;
  sim.advanceClock(TOKEN_LIFETIME_MS - REFRESH_AHEAD_MS / 2);
  sim.injectFault({ kind: 'http500', endpoints: ['oauth2/accessToken'] });

  await expect(client.getMember('lisi')).resolves.toMatchObject({ userid: 'lisi' });
  expect(counts(sim, 'oauth2/accessToken', 'topapi/v2/user/get')).toEqual({ 'oauth2/accessToken': 3, 'topapi/v2/user/get': 2 });
});

test('a revoked token is dropped, fetched again and the call retried once', async () => {
  const { client } = clientFor(sim);
  const before = await client.getAppAccessToken();
  await client.getMember('lisi');
  sim.revokeTokens();
  sim.resetCounters();

  await expect(client.getMember('lisi')).resolves.toMatchObject({ userid: 'lisi' });
  expect(counts(sim, 'oauth2/accessToken', 'topapi/v2/user/get')).toEqual({ 'oauth2/accessToken': 1, 'topapi/v2/user/get': 2 });
  expect(await client.getAppAccessToken()).not.toBe(before);
});

test('after a revocation, 50 concurrent calls share one new token', async () => {
  const { client } = clientFor(sim, { lane: 'sync' });
  await client.getMember('lisi');
  sim.revokeTokens();
  sim.resetCounters();
  await Promise.all(Array.from({ length: 50 }, () => client.getMember('lisi')));
  expect(counts(sim, 'oauth2/accessToken', 'topapi/v2/user/get')).toEqual({ 'oauth2/accessToken': 1, 'topapi/v2/user/get': 100 });
  expect(client.runtime.metrics.snapshot().tokenFetches).toEqual({ cold: 1, refresh: 0, rejected: 1, forced: 0 });
});

test('an expired token (the client clock not told) gets 42001, then one refetch and retry', async () => {
  const { client } = clientFor(sim);
  await client.getMember('lisi');
  sim.advanceClock(TOKEN_LIFETIME_MS + 1000);
  sim.resetCounters();
  await expect(client.getMember('lisi')).resolves.toMatchObject({ userid: 'lisi' });
  expect(counts(sim, 'oauth2/accessToken', 'topapi/v2/user/get')).toEqual({ 'oauth2/accessToken': 1, 'topapi/v2/user/get': 2 });
});

test('forceRefresh fetches a new token; clearing the runtime\'s cache forgets every token', async () => {
  const { client } = clientFor(sim);
  await client.getAppAccessToken();
  await client.getAppAccessToken({ forceRefresh: true });
  client.runtime.tokens.clear();
  await client.getAppAccessToken();
  expect(counts(sim, 'oauth2/accessToken')).toEqual({ 'oauth2/accessToken': 3 });
  expect(client.runtime.metrics.snapshot().tokenFetches).toEqual({ cold: 2, refresh: 0, rejected: 0, forced: 1 });
});

test('the cache key holds a hash of the secret, never the secret, and differs per secret and host', () => {
  const key = tokenCacheKey('https://api.dingtalk.com', CORP_A.appKey, CORP_A.appSecret);
  expect(key).not.toContain(CORP_A.appSecret);
  expect(key).not.toBe(tokenCacheKey('https://api.dingtalk.com', CORP_A.appKey, CORP_A.appSecret + 'x'));
  expect(key).not.toBe(tokenCacheKey('http://127.0.0.1:9100', CORP_A.appKey, CORP_A.appSecret));
});

test('a client of another simulator (another host) does not reuse this one\'s token, even in one runtime', async () => {
  const other = await startSimulator();
  const runtime = createDingTalkRuntime();
  try {
    await clientFor(sim, { runtime }).client.getMember('lisi');
    const { client } = clientFor(other, { runtime });
    await expect(client.getMember('lisi')).resolves.toMatchObject({ userid: 'lisi' });
    expect(counts(other, 'oauth2/accessToken')).toEqual({ 'oauth2/accessToken': 1 });
  } finally {
    await other.close();
  }
});
