/**
 * The simulator's admin surface under `/__sim/`, for a simulator in another process (benchmarks,
 * soak tests): the same operations as SimulatorHandle, as JSON over HTTP. Only for a caller with the
 * admin token or a same-origin request (admin-access.ts checks before this runs), and never with a
 * CORS header: any web page open in the developer's browser could otherwise mint codes or edit the
 * org while the simulator runs. The dingtalk.js stand-in has its own narrow routes (standin-api.ts).
 */
import type { ServerResponse } from 'node:http';
import { isJitError } from '../runtime/errors';
import type { ParsedBody } from './http-io';
import { sendJson } from './http-io';
import type { Simulator } from './simulator';
import { STREAM_ADMIN_ACTIONS } from './stream/admin-actions';
import type { SimDepartment, SimFault, SimOrgUser } from './types';

export const ADMIN_PREFIX = '/__sim/';

type AdminAction = (sim: Simulator, fields: Record<string, unknown>) => unknown;

const ACTIONS: Record<string, AdminAction> = {
  'POST codes/workbench': (sim, f) => ({ code: sim.mintWorkbenchCode(str(f, 'corpId'), str(f, 'userid')) }),
  'POST codes/qr': (sim, f) => ({
    authCode: sim.mintQrCode(str(f, 'appKey'), str(f, 'unionid'), f.corpId === undefined || f.corpId === '' ? {} : { corpId: str(f, 'corpId') }),
  }),
  'GET counters': (sim) => sim.counters(),
  'GET counters/rates': (sim) => sim.callRates(),
  'POST counters/reset': (sim) => (sim.resetCounters(), { ok: true }),
  'GET page-origins': (sim) => sim.pageOrigins.list(),
  'POST page-origins': (sim, f) => (sim.pageOrigins.allow(str(f, 'origin')), { ok: true }),
  'GET faults': (sim) => sim.faults.list(),
  'POST faults': (sim, f) => (sim.injectFault(f as unknown as SimFault), { ok: true }),
  'DELETE faults': (sim) => (sim.clearFaults(), { ok: true }),
  'POST tokens/revoke': (sim) => (sim.revokeTokens(), { ok: true }),
  'POST clock/advance': (sim, f) => {
    const ms = typeof f.ms === 'string' ? Number(f.ms) : f.ms;
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) throw new RangeError('ms: must be a number of milliseconds >= 0');
    sim.advanceClock(ms);
    return { ok: true, now: sim.clock.now() };
  },
  'GET org': (sim) => sim.summary(),
  'POST members/update': (sim, f) => (sim.updateMember(str(f, 'corpId'), str(f, 'userid'), object(f, 'patch')), { ok: true }),
  'POST members/remove': (sim, f) => (sim.removeMember(str(f, 'corpId'), str(f, 'userid')), { ok: true }),
  'POST members/add': (sim, f) => (sim.addMember(str(f, 'corpId'), object(f, 'member') as unknown as SimOrgUser), { ok: true }),
  'POST departments/add': (sim, f) => (sim.addDepartment(str(f, 'corpId'), object(f, 'department') as unknown as SimDepartment), { ok: true }),
  'POST departments/update': (sim, f) => (sim.updateDepartment(str(f, 'corpId'), int(f, 'deptId'), object(f, 'patch')), { ok: true }),
  'POST departments/remove': (sim, f) => (sim.removeDepartment(str(f, 'corpId'), int(f, 'deptId')), { ok: true }),
  ...STREAM_ADMIN_ACTIONS,
};

export function handleAdmin(sim: Simulator, method: string, pathname: string, body: ParsedBody, res: ServerResponse): void {
  const action = ACTIONS[`${method} ${pathname.slice(ADMIN_PREFIX.length)}`];
  if (!action) return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `no admin route ${method} ${pathname}` } });
  if (body.kind === 'invalid' || body.kind === 'unsupported')
    return sendJson(res, 400, { error: { code: 'BAD_REQUEST', message: 'the body must be a JSON object' } });
  try {
    sendJson(res, 200, action(sim, body.fields));
  } catch (err) {
    // Unknown ids (RangeError) and org changes that fail validation (CONFIG_INVALID) are the caller's mistake.
    if (!(err instanceof RangeError) && !isJitError(err, 'CONFIG_INVALID')) throw err;
    sendJson(res, 400, { error: { code: 'BAD_REQUEST', message: err.message } });
  }
}

function str(fields: Record<string, unknown>, name: string): string {
  const value = fields[name];
  if (typeof value !== 'string' || value === '') throw new RangeError(`${name}: required (a non-empty string)`);
  return value;
}

function int(fields: Record<string, unknown>, name: string): number {
  const value = typeof fields[name] === 'string' ? Number(fields[name]) : fields[name];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new RangeError(`${name}: required (an integer >= 1)`);
  return value;
}

function object(fields: Record<string, unknown>, name: string): Record<string, unknown> {
  const value = fields[name];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RangeError(`${name}: required (a JSON object)`);
  return value as Record<string, unknown>;
}
