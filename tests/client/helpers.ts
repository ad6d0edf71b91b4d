/**
 * Shared set-up for the DDInnerClient tests: the demo org's corp A (common brief), a client on the
 * simulator's hosts, a retry policy whose sleep records the delays asked for instead of waiting, and
 * a logger that captures raw lines (not redacted, so a leak would show).
 */
import * as net from 'node:net';
import { DDInnerClient, type DDInnerClientOptions, type RetryPolicy } from '../../dingtalk/client';
import type { Logger } from '../../runtime/logger';
import type { DingTalkHosts } from '../../dingtalk/hosts';
import type { SimCorp, SimEndpoint, SimulatorHandle } from '../../sim/types';

export const CORP_A = {
  corpId: 'ding5f1e0c2b9a7d4e3f8c6b1a0d2e4f6a8c',
  appKey: 'dinga1b2c3d4e5f6g7h8',
  appSecret: 'kgPoYqnCDoYzBKbftfOoXTZhQ8stzhe6SVI34Zwh8Xms9bmOxojRlO8f2NxmZQqD',
};

export const CORP_B_ID = 'ding0a1b2c3d4e5f60718293a4b5c6d7e8f9';

export function hostsOf(sim: SimulatorHandle): DingTalkHosts {
  return { oapiUrl: sim.oapiUrl, apiUrl: sim.apiUrl, loginUrl: sim.loginUrl };
}

export function corpOf(sim: SimulatorHandle, corpId: string): SimCorp {
  const corp = sim.org.corps.find((c) => c.corpId === corpId);
  if (!corp) throw new Error(`the simulator's org has no corp ${corpId}`);
  return corp;
}

/** A retry policy with small delays whose sleep records each delay and returns at once. */
export function recordingRetry(overrides: Partial<RetryPolicy> = {}): { retry: Partial<RetryPolicy>; delays: number[] } {
  const delays: number[] = [];
  const retry: Partial<RetryPolicy> = {
    maxAttempts: 4,
    baseDelayMs: 10,
    maxDelayMs: 100,
    totalBudgetMs: 1000,
    rateLimitDelayMs: 50,
    sleep: async (ms) => {
      delays.push(ms);
    },
    ...overrides,
  };
  return { retry, delays };
}

/** A client of corp A's app on the simulator, with recorded (not slept) retry delays. */
export function clientFor(sim: SimulatorHandle, options: Partial<DDInnerClientOptions> = {}): { client: DDInnerClient; delays: number[] } {
  const { retry, delays } = recordingRetry(options.retry);
  const client = new DDInnerClient({
    credentials: { appKey: CORP_A.appKey, appSecret: CORP_A.appSecret },
    hosts: hostsOf(sim),
    timeoutMs: 5000,
    ...options,
    retry,
  });
  return { client, delays };
}

/** A Logger that keeps every line as written, unredacted: what a careless sink would store. */
export function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const make = (base: Record<string, unknown>): Logger => {
    const write = (level: string) => (msg: string, fields?: Record<string, unknown>) => {
      lines.push(JSON.stringify({ level, msg, ...base, ...fields }));
    };
    return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error'), child: (fields) => make({ ...base, ...fields }) };
  };
  return { logger: make({}), lines };
}

/** The call counters of the endpoints named (each present, 0 when never called). */
export function counts(sim: SimulatorHandle, ...endpoints: SimEndpoint[]): Record<string, number> {
  const all = sim.counters();
  return Object.fromEntries(endpoints.map((e) => [e, all[e] ?? 0]));
}

/**
 * DingTalk's real code in an error's details or a log line: the sub code of the topapi gateway's
 * wrapper (errcode 88), else the errcode. Real DingTalk (and the strict simulator) wrap 40014, 60011, ...
 */
export function realCodeOf(fields: Record<string, unknown> | undefined): number | undefined {
  if (!fields) return undefined;
  return fields.errcode === 88 && fields.subCode !== undefined ? Number(fields.subCode) : (fields.errcode as number | undefined);
}

/** The rejection of `promise`, failing the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & { code?: string; details?: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string; details?: Record<string, unknown> };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** A local URL where nothing listens (a port that was free a moment ago). */
export async function closedPortUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
