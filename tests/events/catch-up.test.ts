/**
 * No gaps (#13): a connection down at least `sync.catchUpAfterSeconds` (3 s in the fixture) runs one
 * catch-up sync when it is back, which applies what the events of the gap did not bring; a reconnect
 * after a `disconnect` frame, or after a shorter gap, runs none (DingTalk pushes unacked events
 * again). The simulator keeps one undelivered event per app here, so a gap with two changes loses the
 * first event, as DingTalk may (whether it keeps events across a gap is undocumented).
 */
import { CORP_A } from '../helpers/demo-org';
import { workbenchLoginThrough } from '../helpers/login-steps';
import { useSimulator } from '../helpers/simulator';
import { describeEachDatabase } from '../helpers/each-database';
import { ACME, ACME_LOGIN, useLiveApp, waitUntilWatching, meStatus, blockRegistration, quietFor, streamSimulatorOptions, waitFor } from './live-app';

jest.setTimeout(120_000);

describeEachDatabase('catch-up syncs', (target) => {
  const sim = useSimulator(streamSimulatorOptions({ stream: { maxPendingPerApp: 1 } }));
  const live = useLiveApp(sim, target);
  const acmeWatcher = () => live.watchers.status().find((s) => s.corp === ACME)!;
  const runs = () => live.app.db.run((m) => m.getRepository('CorpSyncRun').countBy({ corpFullName: ACME }));

  beforeAll(async () => {
    await waitUntilWatching(live);
  });

  it('one catch-up sync at start', async () => {
    expect(acmeWatcher().row).toMatchObject({ lastCatchUpReason: 'start', lastCatchUpOutcome: 'complete' });
    expect(await runs()).toBe(1);
  });

  it('a reconnect after a disconnect frame starts no catch-up sync', async () => {
    const before = { runs: await runs(), at: acmeWatcher().row.lastCatchUpAt };
    const opened = sim.stream.counters().connectionsOpened;
    expect(sim.stream.disconnect(CORP_A.appKey)).toBe(1);
    await waitFor(() => sim.stream.counters().connectionsOpened > opened, 'the new connection');
    // The old connection closes 1 s after the frame; wait past it.
    await waitFor(() => sim.stream.connections().filter((c) => c.appKey === CORP_A.appKey).length === 1, 'the old connection to close');
    await quietFor(500);
    expect(acmeWatcher().connected).toBe(true);
    expect(await runs()).toBe(before.runs);
    expect(acmeWatcher().row.lastCatchUpAt).toEqual(before.at);
  });

  it('a short gap (dropped, back within the limit) starts no catch-up sync', async () => {
    const before = { runs: await runs(), at: acmeWatcher().row.lastCatchUpAt, reconnects: acmeWatcher().row.reconnects };
    sim.stream.drop(CORP_A.appKey);
    await waitFor(() => acmeWatcher().row.reconnects > before.reconnects && acmeWatcher().connected, 'the reconnect');
    await quietFor(500);
    expect(await runs()).toBe(before.runs);
    expect(acmeWatcher().row.lastCatchUpAt).toEqual(before.at);
  });

  it('a longer gap runs one catch-up sync when the connection is back; it applies the change whose event was lost', async () => {
    const login = await workbenchLoginThrough(live.app, ACME_LOGIN, sim, CORP_A.corpId, 'zhaoliu');
    const before = { runs: await runs(), dropped: sim.stream.counters().dropped };
    const blocked = blockRegistration(sim);
    sim.stream.drop(CORP_A.appKey);
    await waitFor(() => !acmeWatcher().connected, 'Acme to be down');
    // Two changes while down: the simulator keeps one undelivered event per app, so the leave is lost.
    sim.removeMember(CORP_A.corpId, 'zhaoliu');
    sim.updateMember(CORP_A.corpId, 'wangwu', { job_number: 'A0333' });
    expect(sim.stream.counters().dropped).toBe(before.dropped + 1);
    await quietFor(3500); // past sync.catchUpAfterSeconds (3)
    expect(await meStatus(live.url, login.token)).toBe(200);

    blocked.unblock();
    await waitFor(() => acmeWatcher().connected, 'the reconnect', 30_000);
    await waitFor(() => /gap/.test(acmeWatcher().row.lastCatchUpReason ?? '') && acmeWatcher().row.lastCatchUpOutcome === 'complete', 'the catch-up sync', 30_000);
    expect(await runs()).toBe(before.runs + 1);
    expect(await meStatus(live.url, login.token)).toBe(401);
    expect(await live.orgModel().findMember(ACME, 'zhaoliu')).toMatchObject({ status: 'left' });
    // The leave was applied by the sync: no event of it was ever recorded.
    expect(sim.stream.events().some((e) => e.eventType === 'user_leave_org' && (e.data.userId as string[]).includes('zhaoliu'))).toBe(true);
    const leave = sim.stream.events().find((e) => e.eventType === 'user_leave_org' && (e.data.userId as string[]).includes('zhaoliu'))!;
    expect(await live.orgModel().events.find(ACME, leave.eventId)).toBeNull();

    const { events } = await live.corp(ACME).getStatus();
    expect(events.lastCatchUp).toMatchObject({ reason: expect.stringMatching(/^a gap of \d+ s without a connection$/), outcome: 'complete' });
  });
});
