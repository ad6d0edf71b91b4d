/**
 * The Stream controls of a simulator in another process (`connectSimulator(url).stream`): the
 * SimStreamHandle's operations over `/__sim/stream/`, async.
 */
import type { SimStreamConnectionInfo, SimStreamCounters, SimStreamEventInfo, SimStreamPendingInfo } from './types';

export type AdminCall = <T>(method: string, route: string, body?: unknown) => Promise<T>;

export interface SimStreamClient {
  connections(): Promise<SimStreamConnectionInfo[]>;
  pending(): Promise<SimStreamPendingInfo[]>;
  events(): Promise<SimStreamEventInfo[]>;
  counters(): Promise<SimStreamCounters>;
  resetCounters(): Promise<void>;
  pushEvent(corpId: string, eventType: string, data: Record<string, unknown>): Promise<string>;
  duplicate(eventId: string): Promise<number>;
  ping(appKey?: string): Promise<number>;
  disconnect(appKey?: string, reason?: string): Promise<number>;
  drop(appKey?: string, connectionId?: string): Promise<number>;
  stall(appKey?: string, connectionId?: string): Promise<number>;
  pause(appKey?: string): Promise<void>;
  resume(appKey?: string): Promise<void>;
}

export function streamAdminClient(call: AdminCall): SimStreamClient {
  return {
    connections: () => call('GET', 'stream/connections'),
    pending: () => call('GET', 'stream/pending'),
    events: () => call('GET', 'stream/events'),
    counters: () => call('GET', 'stream/counters'),
    resetCounters: async () => void (await call('POST', 'stream/counters/reset', {})),
    pushEvent: async (corpId, eventType, data) => (await call<{ eventId: string }>('POST', 'stream/events', { corpId, eventType, data })).eventId,
    duplicate: async (eventId) => (await call<{ queued: number }>('POST', 'stream/duplicate', { eventId })).queued,
    ping: async (appKey) => (await call<{ sent: number }>('POST', 'stream/ping', { appKey })).sent,
    disconnect: async (appKey, reason) => (await call<{ sent: number }>('POST', 'stream/disconnect', { appKey, reason })).sent,
    drop: async (appKey, connectionId) => (await call<{ dropped: number }>('POST', 'stream/drop', { appKey, connectionId })).dropped,
    stall: async (appKey, connectionId) => (await call<{ stalled: number }>('POST', 'stream/stall', { appKey, connectionId })).stalled,
    pause: async (appKey) => void (await call('POST', 'stream/pause', { appKey })),
    resume: async (appKey) => void (await call('POST', 'stream/resume', { appKey })),
  };
}
