/**
 * The Stream controls under `/__sim/stream/` (merged into admin.ts's routes): views of connections,
 * pending events, pushed events and counters, and the levers tests pull (ping, disconnect, drop,
 * pause, resume, duplicate, push an event). `appKey` is optional: without it a lever acts on every app.
 */
import type { Simulator } from '../simulator';

type AdminAction = (sim: Simulator, fields: Record<string, unknown>) => unknown;

export const STREAM_ADMIN_ACTIONS: Readonly<Record<string, AdminAction>> = {
  'GET stream/connections': (sim) => sim.stream.connections(),
  'GET stream/pending': (sim) => sim.stream.pending(),
  'GET stream/events': (sim) => sim.stream.events(),
  'GET stream/counters': (sim) => sim.stream.counters(),
  'POST stream/counters/reset': (sim) => (sim.stream.resetCounters(), { ok: true }),
  'POST stream/events': (sim, f) => ({ eventId: sim.stream.pushEvent(str(f, 'corpId'), str(f, 'eventType'), object(f, 'data')) }),
  'POST stream/duplicate': (sim, f) => ({ queued: sim.stream.duplicate(str(f, 'eventId')) }),
  'POST stream/ping': (sim, f) => ({ sent: sim.stream.ping(optionalStr(f, 'appKey')) }),
  'POST stream/disconnect': (sim, f) => ({ sent: sim.stream.disconnect(optionalStr(f, 'appKey'), optionalStr(f, 'reason')) }),
  'POST stream/drop': (sim, f) => ({ dropped: sim.stream.drop(optionalStr(f, 'appKey'), optionalStr(f, 'connectionId')) }),
  'POST stream/stall': (sim, f) => ({ stalled: sim.stream.stall(optionalStr(f, 'appKey'), optionalStr(f, 'connectionId')) }),
  'POST stream/pause': (sim, f) => (sim.stream.pause(optionalStr(f, 'appKey')), { ok: true }),
  'POST stream/resume': (sim, f) => (sim.stream.resume(optionalStr(f, 'appKey')), { ok: true }),
};

function str(fields: Record<string, unknown>, name: string): string {
  const value = fields[name];
  if (typeof value !== 'string' || value === '') throw new RangeError(`${name}: required (a non-empty string)`);
  return value;
}

function optionalStr(fields: Record<string, unknown>, name: string): string | undefined {
  return fields[name] === undefined || fields[name] === '' ? undefined : str(fields, name);
}

function object(fields: Record<string, unknown>, name: string): Record<string, unknown> {
  const value = fields[name];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RangeError(`${name}: required (a JSON object)`);
  return value as Record<string, unknown>;
}
