/**
 * How the overview reads a corp's live events: the one function (runtime/console/corps.ts
 * liveEventsOf) over the corp's status as `jit org status` reports it, and over corps that report
 * none (before live events, or a Type without them).
 */
import { liveEventsOf, type ConsoleCorp, type CorpStatusView } from '../../runtime/console/corps';

const corp = (events: boolean): ConsoleCorp => ({ getStatus: async () => ({}) as CorpStatusView, syncCorp: async () => ({}), settings: { sync: { events } } });
const status = (events?: unknown): CorpStatusView => ({ corp: 'corps.acme', orgId: null, isActive: true, intervalMinutes: null, lastRun: null, ...(events === undefined ? {} : { events }) });

test('a corp that reports no events state: off without sync.events, unknown with it', () => {
  expect(liveEventsOf(corp(false), status()).state).toBe('off');
  expect(liveEventsOf(corp(true), status()).state).toBe('unknown');
  expect(liveEventsOf(corp(true), null).state).toBe('unknown');
});

test('the state the corp reports: connected since, or not connected since, with the counts', () => {
  const since = '2026-12-06T09:00:00.000Z';
  expect(liveEventsOf(corp(true), status({ enabled: true, connected: true, since, lastEventAt: null, applied: 12, notApplied: 1 }))).toEqual({
    state: 'connected',
    since: new Date(since),
    lastEventAt: null,
    applied: 12,
    notApplied: 1,
  });
  expect(liveEventsOf(corp(true), status({ enabled: true, connected: false, since: null, applied: 0, notApplied: 0 }))).toMatchObject({ state: 'disconnected', since: null });
  expect(liveEventsOf(corp(true), status({ enabled: false, connected: false })).state).toBe('off');
});
