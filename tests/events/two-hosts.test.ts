/**
 * Several hosts (#13): two hosts on one PostgreSQL database (two apps, each with its own database
 * pool, metrics and event watchers, as two `jit serve` processes have), both connected to the
 * simulator's Stream. The simulator delivers each push to one connection at random; duplicates and
 * redeliveries (a host's connection cut mid-way) may reach the other. The corp_events table decides:
 * every event is applied exactly once, and the organisation ends as DingTalk has it.
 *
 * The QPS limit stays on: a burst of joiners is more user/get calls a second than DingTalk allows, so
 * some events fail transiently (throttled: acked LATER) and are applied when pushed again.
 */
import { describeWithPostgres } from '../helpers/requirements';
import { ACME, type LiveApp, openLiveApp, waitUntilWatching, simEventId, streamSimulatorOptions, waitFor } from './live-app';
import { CORP_A } from '../helpers/demo-org';
import { useSimulator } from '../helpers/simulator';
import { useScratchDatabase } from '../helpers/scratch-database';

jest.setTimeout(240_000);

const JOINERS = 30;
const LEAVERS = ['zhangsan', 'lisi', 'wangwu', 'zhaoliu'];

describeWithPostgres('two hosts on one PostgreSQL database', () => {
  const sim = useSimulator(streamSimulatorOptions());
  let hosts: LiveApp[] = [];
  // Declared before the database, so it runs first: the hosts close before the database is dropped.
  afterAll(async () => {
    await Promise.all(hosts.map((host) => host.close()));
  });
  const database = useScratchDatabase('postgres');

  beforeAll(async () => {
    // Both start at once on an empty database: both migrate, both run their start-up catch-up sync.
    hosts = await Promise.all([0, 1].map(() => openLiveApp(sim, database.url)));
    await Promise.all(hosts.map((host) => waitUntilWatching(host)));
  });

  it('both hosts are connected for each corp; their overlapping start-up syncs ended no membership', async () => {
    expect(sim.stream.connections().filter((c) => c.appKey === CORP_A.appKey)).toHaveLength(2);
    const status = await hosts[0].corp(ACME).getStatus();
    expect(status.members).toEqual({ active: 9, left: 0, offline: 0 });
    expect(status.events.watchers.filter((w) => w.state === 'running' && w.connected)).toHaveLength(2);
  });

  it('applies each event once: joiners, renames and leavers, with duplicates and a connection cut mid-way', async () => {
    const joiners = Array.from({ length: JOINERS }, (_, i) => `joiner${String(i).padStart(2, '0')}`);
    const duplicated: string[] = [];
    for (const [i, userid] of joiners.entries()) {
      sim.addMember(CORP_A.corpId, { userid, unionid: `${userid}Union000000000000`.slice(0, 24), name: `Joiner ${i}`, mobile: `1370000${String(i).padStart(4, '0')}`, dept_id_list: [2] });
      if (i % 5 === 0) {
        const eventId = simEventId(sim, 'user_add_org', userid);
        sim.stream.duplicate(eventId);
        duplicated.push(eventId);
      }
      // One host's connection is cut in the middle of the burst: what it held is pushed again.
      if (i === Math.floor(JOINERS / 2)) sim.stream.drop(CORP_A.appKey, sim.stream.connections().find((c) => c.appKey === CORP_A.appKey)!.id);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    for (const [i, userid] of joiners.slice(0, 10).entries()) sim.updateMember(CORP_A.corpId, userid, { name: `Joiner ${i} renamed` });
    for (const userid of LEAVERS) sim.removeMember(CORP_A.corpId, userid);

    const pushed = sim.stream.events().filter((e) => e.corpId === CORP_A.corpId && e.eventType.startsWith('user_'));
    const model = hosts[0].orgModel();
    await waitFor(async () => sim.stream.pending().length === 0 && (await Promise.all(pushed.map((e) => model.events.find(ACME, e.eventId)))).every(Boolean), 'every event to be applied and acked', 180_000);

    // Exactly one record and one audit row per event, whichever host got it and however often.
    for (const event of pushed) expect(await model.events.listByEventId(event.eventId)).toEqual([expect.objectContaining({ outcome: 'applied' })]);
    const audited = (await hosts[1].app.audit.list({ type: 'event.applied', limit: 1000 })).events.map((e) => e.details?.eventId);
    for (const event of pushed) expect(audited.filter((id) => id === event.eventId)).toHaveLength(1);

    // The organisation as DingTalk has it: one user per joiner (no second one from a race), renamed ones renamed, leavers left.
    const users = await hosts[0].app.users.list();
    for (const [i, userid] of joiners.entries()) {
      const mine = users.filter((u) => u.username === userid || u.username.startsWith(`${userid}-`));
      expect(mine).toEqual([expect.objectContaining({ username: userid, displayName: i < 10 ? `Joiner ${i} renamed` : `Joiner ${i}`, disabled: false })]);
    }
    for (const userid of LEAVERS) expect(await model.findMember(ACME, userid)).toMatchObject({ status: 'left' });
    expect((await hosts[0].corp(ACME).getStatus()).members).toEqual({ active: 9 + JOINERS - LEAVERS.length, left: LEAVERS.length, offline: 0 });

    // The duplicates were skipped, by one host or the other.
    const skipped = hosts.flatMap((host) => host.watchers.status()).filter((s) => s.corp === ACME).reduce((n, s) => n + s.row.duplicates, 0);
    expect(skipped).toBeGreaterThanOrEqual(duplicated.length);
    expect(sim.stream.counters().duplicates).toBe(duplicated.length);
  });
});
