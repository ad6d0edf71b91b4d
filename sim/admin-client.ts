/**
 * A typed client for the admin routes of a simulator running in another process (`jit sim`,
 * benchmarks, soak tests): the SimulatorHandle's operations, async. The admin routes take the
 * simulator's admin token: `jit sim` prints it (or uses JIT_SIM_ADMIN_TOKEN), an in-process handle
 * has it as `adminToken`.
 *
 *   const sim = await connectSimulator('http://127.0.0.1:9100', { token });
 *   const code = await sim.mintWorkbenchCode(corpId, 'zhangsan');
 */
import type { SimMemberPatch, SimOrgSummary } from './simulator';
import { type SimStreamClient, streamAdminClient } from './stream/admin-client';
import type { SimCallRates, SimDepartment, SimDepartmentPatch, SimEndpoint, SimFault, SimOrgUser } from './types';

/** The environment variable `jit sim` and `connectSimulator` read the admin token from when not given one. */
export const ADMIN_TOKEN_ENV = 'JIT_SIM_ADMIN_TOKEN';

export interface ConnectSimulatorOptions {
  /** The simulator's admin token; default the JIT_SIM_ADMIN_TOKEN environment variable. */
  token?: string;
}

export interface SimulatorClient {
  readonly url: string;
  readonly oapiUrl: string;
  readonly apiUrl: string;
  readonly loginUrl: string;
  /** Who is in the simulator's org (no secrets). */
  org(): Promise<SimOrgSummary>;
  mintWorkbenchCode(corpId: string, userid: string): Promise<string>;
  mintQrCode(appKey: string, unionid: string, options?: { corpId?: string }): Promise<string>;
  counters(): Promise<Record<SimEndpoint, number>>;
  callRates(): Promise<SimCallRates>;
  resetCounters(): Promise<void>;
  allowPageOrigin(origin: string): Promise<void>;
  injectFault(fault: SimFault): Promise<void>;
  clearFaults(): Promise<void>;
  revokeTokens(): Promise<void>;
  advanceClock(ms: number): Promise<void>;
  updateMember(corpId: string, userid: string, patch: SimMemberPatch): Promise<void>;
  removeMember(corpId: string, userid: string): Promise<void>;
  addMember(corpId: string, member: SimOrgUser): Promise<void>;
  addDepartment(corpId: string, department: SimDepartment): Promise<void>;
  updateDepartment(corpId: string, deptId: number, patch: SimDepartmentPatch): Promise<void>;
  removeDepartment(corpId: string, deptId: number): Promise<void>;
  /** Stream mode's views and controls (/__sim/stream/). */
  readonly stream: SimStreamClient;
}

/** Connects to a running simulator; rejects with a clear message when nothing answers at `url` or
 *  the token is missing or wrong. */
export async function connectSimulator(url: string, options: ConnectSimulatorOptions = {}): Promise<SimulatorClient> {
  const base = url.replace(/\/+$/, '');
  const token = options.token ?? process.env[ADMIN_TOKEN_ENV];
  const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const call = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    let res: Response;
    try {
      res = await fetch(`${base}/__sim/${route}`, {
        method,
        headers: body === undefined ? auth : { ...auth, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new Error(`no DingTalk simulator answers at ${base} (${(err as Error).message}); start one with \`jit sim\``);
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      throw new Error(`${base} is not a DingTalk simulator (${method} /__sim/${route} answered HTTP ${res.status}, not JSON)`);
    }
    if (!res.ok) {
      const message = (parsed as { error?: { message?: string } } | undefined)?.error?.message ?? `HTTP ${res.status}`;
      throw new Error(`simulator ${method} /__sim/${route}: ${message}`);
    }
    return parsed as T;
  };

  await call('GET', 'counters');
  return {
    url: base,
    oapiUrl: base,
    apiUrl: base,
    loginUrl: base,
    org: () => call<SimOrgSummary>('GET', 'org'),
    mintWorkbenchCode: async (corpId, userid) => (await call<{ code: string }>('POST', 'codes/workbench', { corpId, userid })).code,
    mintQrCode: async (appKey, unionid, options = {}) =>
      (await call<{ authCode: string }>('POST', 'codes/qr', { appKey, unionid, ...(options.corpId ? { corpId: options.corpId } : {}) })).authCode,
    counters: () => call<Record<SimEndpoint, number>>('GET', 'counters'),
    callRates: () => call<SimCallRates>('GET', 'counters/rates'),
    resetCounters: async () => void (await call('POST', 'counters/reset', {})),
    allowPageOrigin: async (origin) => void (await call('POST', 'page-origins', { origin })),
    injectFault: async (fault) => void (await call('POST', 'faults', fault)),
    clearFaults: async () => void (await call('DELETE', 'faults')),
    revokeTokens: async () => void (await call('POST', 'tokens/revoke', {})),
    advanceClock: async (ms) => void (await call('POST', 'clock/advance', { ms })),
    updateMember: async (corpId, userid, patch) => void (await call('POST', 'members/update', { corpId, userid, patch })),
    removeMember: async (corpId, userid) => void (await call('POST', 'members/remove', { corpId, userid })),
    addMember: async (corpId, member) => void (await call('POST', 'members/add', { corpId, member })),
    addDepartment: async (corpId, department) => void (await call('POST', 'departments/add', { corpId, department })),
    updateDepartment: async (corpId, deptId, patch) => void (await call('POST', 'departments/update', { corpId, deptId, patch })),
    removeDepartment: async (corpId, deptId) => void (await call('POST', 'departments/remove', { corpId, deptId })),
    stream: streamAdminClient(call),
  };
}
