/**
 * Retries against the simulator's faults: transient and rate-limit failures are retried (counters show
 * N+1 calls for N faults), with delays that grow, are jittered, capped and kept within the budget
 * (checked through the injected sleep, never the wall clock); refusals are never retried.
 */
import type { SimFault } from '../../sim/types';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../dingtalk/client';
import { CORP_A, clientFor, counts, rejectionOf } from './helpers';
import { useSimulator } from '../helpers/simulator';

// Needs no throttle: tests retries against injected faults; its sleeps are fake, so no real second passes between attempts.
const sim = useSimulator({ qps: 'off' });

beforeEach(() => {
  sim.resetCounters();
  sim.clearFaults();
});

/** A fixed sequence of "random" numbers, repeated. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length];
}

describe('faults that pass: N faults, N+1 calls, then success', () => {
  test.each(['busy', 'http500', 'qps'] as const)('oapi topapi/v2/user/get with %s x2', async (kind) => {
    const { client, delays } = clientFor(sim);
    await client.getAppAccessToken();
    sim.injectFault({ kind, count: 2, endpoints: ['topapi/v2/user/get'] });
    await expect(client.getMember('lisi')).resolves.toMatchObject({ userid: 'lisi' });
    expect(counts(sim, 'topapi/v2/user/get')).toEqual({ 'topapi/v2/user/get': 3 });
    expect(delays).toHaveLength(2);
  });

  test.each(['busy', 'http500', 'qps'] as const)('v1.0 oauth2/accessToken with %s x3', async (kind) => {
    const { client, delays } = clientFor(sim);
    sim.injectFault({ kind, count: 3, endpoints: ['oauth2/accessToken'] });
    await expect(client.getAppAccessToken()).resolves.toEqual(expect.any(String));
    expect(counts(sim, 'oauth2/accessToken')).toEqual({ 'oauth2/accessToken': 4 });
    expect(delays).toHaveLength(3);
  });

  test('a QR code survives a busy exchange: the retry redeems it', async () => {
    const { client } = clientFor(sim);
    sim.injectFault({ kind: 'busy', count: 1, endpoints: ['oauth2/userAccessToken'] });
    const code = sim.mintQrCode(CORP_A.appKey, 'S02kgVDIp4tlQI58g5TlsjiE');
    await expect(client.getUserAccessToken(code)).resolves.toMatchObject({ expireIn: 7200 });
    expect(counts(sim, 'oauth2/userAccessToken')).toEqual({ 'oauth2/userAccessToken': 2 });
  });

  test('a timeout is retried', async () => {
    const { client } = clientFor(sim, { timeoutMs: 100 });
    await client.getAppAccessToken();
    sim.injectFault({ kind: 'latency', latencyMs: 400, count: 1, endpoints: ['topapi/v2/user/get'] });
    await expect(client.getMember('lisi')).resolves.toMatchObject({ userid: 'lisi' });
    expect(counts(sim, 'topapi/v2/user/get')).toEqual({ 'topapi/v2/user/get': 2 });
  });
});

describe('faults that stay: the error after maxAttempts', () => {
  test.each([
    ['busy', 'DINGTALK_UNAVAILABLE'],
    ['http500', 'DINGTALK_UNAVAILABLE'],
    ['qps', 'DINGTALK_RATE_LIMITED'],
  ] as const)('permanent %s -> %s', async (kind, code) => {
    const { client, delays } = clientFor(sim, { retry: { maxAttempts: 3 } });
    await client.getAppAccessToken();
    sim.injectFault({ kind, endpoints: ['topapi/v2/user/get'] });
    const error = await rejectionOf(client.getMember('lisi'));
    expect(error.code).toBe(code);
    expect(error.details).toMatchObject({ call: 'topapi/v2/user/get', attempts: 3 });
    expect(error.message).toContain('after 3 attempts');
    expect(counts(sim, 'topapi/v2/user/get')).toEqual({ 'topapi/v2/user/get': 3 });
    expect(delays).toHaveLength(2);
  });

  test('a permanent timeout -> DINGTALK_UNAVAILABLE', async () => {
    const { client } = clientFor(sim, { timeoutMs: 50, retry: { maxAttempts: 2 } });
    await client.getAppAccessToken();
    sim.injectFault({ kind: 'latency', latencyMs: 200, endpoints: ['topapi/v2/user/get'] });
    const error = await rejectionOf(client.getMember('lisi'));
    expect(error.code).toBe('DINGTALK_UNAVAILABLE');
    expect(error.details).toMatchObject({ attempts: 2 });
  });
});

describe('backoff, as asked of the injected sleep', () => {
  const busyForever: SimFault = { kind: 'busy', endpoints: ['topapi/v2/user/get'] };

  async function delaysFor(fault: SimFault, retry: Partial<RetryPolicy>): Promise<number[]> {
    sim.clearFaults();
    const { client, delays } = clientFor(sim, { retry });
    await client.getAppAccessToken();
    sim.injectFault(fault);
    await rejectionOf(client.getMember('lisi'));
    return delays;
  }

  test('transient delays grow exponentially within [ceiling/2, ceiling], capped at maxDelayMs', async () => {
    const retry = { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 500, totalBudgetMs: 60_000, random: sequence(0.9, 0.1, 0.5, 0.0, 0.99) };
    const delays = await delaysFor(busyForever, retry);
    expect(delays).toHaveLength(5);
    delays.forEach((delay, i) => {
      const ceiling = Math.min(500, 100 * 2 ** i);
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    });
    // Below the cap each ceiling doubles, so each wait is at least the one before: 100, 200, 400 here.
    for (let i = 1; i < 3; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]);
    expect(delays[2]).toBeGreaterThan(delays[0]);
  });

  test('delays are jittered: other random draws, other delays', async () => {
    const retry = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000, totalBudgetMs: 60_000 };
    const low = await delaysFor(busyForever, { ...retry, random: () => 0.1 });
    const high = await delaysFor(busyForever, { ...retry, random: () => 0.9 });
    expect(low).toHaveLength(2);
    low.forEach((delay, i) => expect(delay).toBeLessThan(high[i]));
  });

  test('rate limits wait at least the QPS window (capped by maxDelayMs)', async () => {
    const qpsForever: SimFault = { kind: 'qps', endpoints: ['topapi/v2/user/get'] };
    const delays = await delaysFor(qpsForever, { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 5000, rateLimitDelayMs: 1000, totalBudgetMs: 60_000, random: sequence(0, 0.5, 0.99) });
    expect(delays).toHaveLength(3);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(1000);
      expect(delay).toBeLessThanOrEqual(1500);
    }
    const capped = await delaysFor(qpsForever, { maxAttempts: 3, rateLimitDelayMs: 1000, maxDelayMs: 200, totalBudgetMs: 60_000 });
    expect(capped).toEqual([200, 200]);
  });

  test('the total budget stops retries early: the waits never add up past it', async () => {
    const retry = { maxAttempts: 50, baseDelayMs: 100, maxDelayMs: 1000, totalBudgetMs: 2500, random: () => 0.99 };
    const { client, delays } = clientFor(sim, { retry });
    await client.getAppAccessToken();
    sim.resetCounters();
    sim.injectFault(busyForever);
    const error = await rejectionOf(client.getMember('lisi'));
    expect(error.code).toBe('DINGTALK_UNAVAILABLE');
    expect(delays.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2500);
    expect(delays.length).toBeGreaterThan(1);
    expect(delays.length).toBeLessThan(49);
    expect(counts(sim, 'topapi/v2/user/get')).toEqual({ 'topapi/v2/user/get': delays.length + 1 });
  });

  test('production defaults: 4 attempts in 10 s, QPS waits 1-1.5 s', async () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({ maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 3000, totalBudgetMs: 10_000, rateLimitDelayMs: 1000 });
    const recorded: number[] = [];
    const sleep = async (ms: number) => void recorded.push(ms);
    const { client } = clientFor(sim, { retry: { ...DEFAULT_RETRY_POLICY, sleep } });
    await client.getAppAccessToken();
    sim.injectFault({ kind: 'qps', count: 1, endpoints: ['topapi/v2/user/get'] });
    await client.getMember('lisi');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toBeGreaterThanOrEqual(1000);
    expect(recorded[0]).toBeLessThanOrEqual(1500);
  });
});

describe('refusals are never retried', () => {
  test('AUTH_CODE_INVALID, NOT_CORP_MEMBER and bad credentials: one call, no wait', async () => {
    const { client, delays } = clientFor(sim);
    await expect(client.getUserInfoByWorkbenchCode('no-such-code')).rejects.toMatchObject({ code: 'AUTH_CODE_INVALID' });
    await expect(client.getUserIdByUnionId('CsjOGK3rHLYjSl9oh5T4OXiE')).rejects.toMatchObject({ code: 'NOT_CORP_MEMBER' });
    await expect(client.getUserAccessToken('no-such-qr-code')).rejects.toMatchObject({ code: 'AUTH_CODE_INVALID' });
    expect(counts(sim, 'topapi/v2/user/getuserinfo', 'topapi/user/getbyunionid', 'oauth2/userAccessToken'))
      .toEqual({ 'topapi/v2/user/getuserinfo': 1, 'topapi/user/getbyunionid': 1, 'oauth2/userAccessToken': 1 });
    expect(delays).toEqual([]);
  });
});
