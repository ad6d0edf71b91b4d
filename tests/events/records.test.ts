/**
 * The record of live events (corp_events), through the corp's own methods on a real database: the
 * same change applied twice at once is applied once (on PostgreSQL the two transactions really race
 * for the event's key); an event that cannot be applied at all is recorded with its code, once; and
 * the record is pruned after 7 days (with the rows of watchers not heard from for as long).
 */
import type { DDMember } from '../../dingtalk/client/types';
import { pruneEventRecords } from '../../elements/corps/events/prune';
import { EVENT_RETENTION_DAYS } from '../../elements/corps/events/events-status';
import type { LiveChange } from '../../elements/corps/events/live-change';
import { WatcherStateRecorder } from '../../elements/corps/events/watcher-state';
import { silentLogger } from '../../runtime/logger';
import { CORP_A } from '../helpers/demo-org';
import { useSimulator } from '../helpers/simulator';
import { describeEachDatabase } from '../helpers/each-database';
import { ACME, useLiveApp, streamSimulatorOptions } from './live-app';

jest.setTimeout(60_000);

const DAY_MS = 24 * 3600 * 1000;

describeEachDatabase('the record of live events', (target) => {
  const sim = useSimulator(streamSimulatorOptions());
  const live = useLiveApp(sim, target, { startWatchers: false });
  const model = () => live.orgModel();

  beforeAll(async () => {
    await live.corp(ACME).syncCorp();
  });

  it('the same change applied twice at once is applied once; the other finds it applied', async () => {
    const member = (await live.corp(ACME).getClient().getMember('zhangsan')) as DDMember;
    const change: LiveChange<DDMember> = {
      eventId: 'evt-race-1',
      eventType: 'user_modify_org',
      bornAt: new Date(),
      members: [{ userid: 'zhangsan', kind: 'present', member: { ...member, name: '张三丰' } }],
    };
    const outcomes = await Promise.all([live.corp(ACME).applyLiveChange(change), live.corp(ACME).applyLiveChange(change)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['applied', 'duplicate']);
    expect(await model().events.listByEventId('evt-race-1')).toEqual([expect.objectContaining({ corpFullName: ACME, outcome: 'applied' })]);
    expect((await live.app.audit.list({ type: 'event.applied' })).events.filter((e) => e.details?.eventId === 'evt-race-1')).toHaveLength(1);
    expect(await model().findMember(ACME, 'zhangsan')).toMatchObject({ name: '张三丰' });
  });

  it('an event that cannot be applied at all is recorded with its code, once, and listed by the status', async () => {
    const event = { eventId: 'evt-denied-1', eventType: 'user_add_org', bornAt: new Date() };
    const message = 'DingTalk refused topapi/v2/user/get: the app lacks qyapi_get_member';
    expect(await live.corp(ACME).recordLiveChangeNotApplied(event, 'DINGTALK_PERMISSION_DENIED', message)).toBe('recorded');
    expect(await live.corp(ACME).recordLiveChangeNotApplied(event, 'DINGTALK_PERMISSION_DENIED', message)).toBe('duplicate');
    expect(await model().events.listByEventId('evt-denied-1')).toEqual([expect.objectContaining({ outcome: 'DINGTALK_PERMISSION_DENIED', message })]);
    expect((await live.app.audit.list({ type: 'event.applied' })).events.find((e) => e.details?.eventId === 'evt-denied-1')).toMatchObject({ outcome: 'DINGTALK_PERMISSION_DENIED', instance: ACME, corpId: CORP_A.corpId });
    const { events } = await live.corp(ACME).getStatus();
    expect(events.failures).toEqual([expect.objectContaining({ eventId: 'evt-denied-1', outcome: 'DINGTALK_PERMISSION_DENIED' })]);
    expect(events).toMatchObject({ applied: 1, notApplied: 1, connected: false, watchers: [] });
  });

  it(`is pruned after ${EVENT_RETENTION_DAYS} days, with the rows of watchers not heard from for as long`, async () => {
    const old = new Date(Date.now() - (EVENT_RETENTION_DAYS + 1) * DAY_MS);
    await live.app.db.run((m) => m.getRepository('CorpEvent').update({ eventId: 'evt-denied-1' }, { appliedAt: old }));
    const stale = new WatcherStateRecorder(model().watchers, ACME, silentLogger);
    const fresh = new WatcherStateRecorder(model().watchers, ACME, silentLogger);
    await stale.start();
    await fresh.start();
    await stale.close();
    await fresh.close();
    await live.app.db.run((m) => m.getRepository('CorpEventWatcher').update({ id: stale.state.id }, { updatedAt: old }));

    expect(await pruneEventRecords(model())).toEqual({ events: 1, watchers: 1 });
    expect(await model().events.listByEventId('evt-denied-1')).toEqual([]);
    expect(await model().events.listByEventId('evt-race-1')).toHaveLength(1);
    const rows = await model().watchers.list(ACME, new Date(0));
    expect(rows.map((r) => r.id)).toEqual([fresh.state.id]);
    expect(await pruneEventRecords(model())).toEqual({ events: 0, watchers: 0 });
  });
});
