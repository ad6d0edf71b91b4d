/**
 * Live org changes (#13), applied: the simulator changes its org, pushes the contact events over a
 * real WebSocket (Stream mode) to the app's watchers (one per corp with `sync.events`, as `jit serve`
 * starts them), and the app applies each with the rules of `jit org sync`. Real parts: the simulator
 * over HTTP and WebSocket with its QPS limit on, the fixture app through the library, an HTTP host for
 * /api/me, SQLite files and PostgreSQL. Waits have generous deadlines; speed is `npm run bench`'s.
 */
import type { AuditEvent } from '../../runtime/audit/types';
import type { BindingStore } from '../../dingtalk/binding/binding-store';
import { CORP_A, CORP_B, simMember } from '../helpers/demo-org';
import { workbenchLoginThrough } from '../helpers/login-steps';
import { useSimulator } from '../helpers/simulator';
import { describeEachDatabase } from '../helpers/each-database';
import { ACME, GLOBEX, ACME_LOGIN, GLOBEX_LOGIN, useLiveApp, waitUntilWatching, meStatus, simEventId, blockRegistration, quietFor, streamSimulatorOptions, waitFor, REDELIVERY_MS } from './live-app';

jest.setTimeout(120_000);

const BINDINGS = 'auths.loginTypes.DDInnerType.DDInnerAuthModel';

describeEachDatabase('live org events', (target) => {
  const sim = useSimulator(streamSimulatorOptions());
  const live = useLiveApp(sim, target);
  const acme = () => live.corp(ACME);
  const events = () => live.orgModel().events;
  const member = (corp: string, userid: string) => live.orgModel().findMember(corp, userid);
  const audit = async (type: string): Promise<AuditEvent[]> => (await live.app.audit.list({ type, limit: 1000 })).events;
  const userOf = async (corp: string, userid: string) => {
    const row = await member(corp, userid);
    return row?.localUserId ? live.app.users.findById(row.localUserId) : null;
  };
  /** Waits for the simulator's event `eventId` to be recorded by the corp, and returns its row. */
  const recorded = (eventId: string, corp = ACME) => waitFor(() => events().find(corp, eventId), `event ${eventId} to be recorded`, 30_000);
  const settled = () => waitFor(() => sim.stream.pending().length === 0, 'every pushed event to be acked', 30_000);

  beforeAll(async () => {
    // Start-up: each watcher connects and runs one catch-up sync (what happened while none ran is unknown).
    await waitUntilWatching(live);
  });

  it('starts with one Stream connection per corp and one catch-up sync each; the members are there', async () => {
    const connections = sim.stream.connections();
    expect(connections.map((c) => c.corpId).sort()).toEqual([CORP_A.corpId, CORP_B.corpId].sort());
    expect(connections.map((c) => c.appKey).sort()).toEqual([CORP_A.appKey, CORP_B.appKey].sort());
    const status = await acme().getStatus();
    expect(status.members.active).toBe(9);
    expect(status.events).toMatchObject({ enabled: true, connected: true, lastCatchUp: { reason: 'start', outcome: 'complete' } });
  });

  it('a member removed in DingTalk: their user is disabled and their session refused (401 on /api/me)', async () => {
    const login = await workbenchLoginThrough(live.app, ACME_LOGIN, sim, CORP_A.corpId, 'lisi');
    expect(await meStatus(live.url, login.token)).toBe(200);

    sim.removeMember(CORP_A.corpId, 'lisi');
    await waitFor(async () => (await meStatus(live.url, login.token)) === 401, 'the session to be refused', 30_000);

    expect(await live.app.users.findById(login.userId)).toMatchObject({ disabled: true, source: `sync:${ACME}` });
    expect(await member(ACME, 'lisi')).toMatchObject({ status: 'left', disabledUserId: login.userId });
    const eventId = simEventId(sim, 'user_leave_org', 'lisi');
    expect(await recorded(eventId)).toMatchObject({ eventType: 'user_leave_org', outcome: 'applied', bornAt: expect.any(Date) });
    expect((await audit('event.applied')).filter((e) => e.details?.eventId === eventId)).toEqual([
      expect.objectContaining({ outcome: 'ok', instance: ACME, corpId: CORP_A.corpId, memberId: 'lisi', userId: login.userId }),
    ]);
    expect((await audit('membership.ended')).filter((e) => e.memberId === 'lisi')).toEqual([
      expect.objectContaining({ userId: login.userId, details: expect.objectContaining({ action: 'disable', eventId }) }),
    ]);
  });

  it('a member added in DingTalk gets a membership and a local user (created per the binding policy)', async () => {
    sim.addMember(CORP_A.corpId, { userid: 'newhire', unionid: 'newhireUnionId000000001', name: '新人', mobile: '13800138100', job_number: 'A0100', dept_id_list: [2] });
    const user = await waitFor(() => userOf(ACME, 'newhire'), 'the new member to get a user', 30_000);
    expect(user).toMatchObject({ username: 'newhire', displayName: '新人', phone: '13800138100', source: `sync:${ACME}`, disabled: false });
    expect(await member(ACME, 'newhire')).toMatchObject({ status: 'active', name: '新人' });
    expect(await live.orgModel().listMemberDepartments(ACME, 'newhire')).toEqual([2]);
    // The new member can log in through Acme: the same user.
    expect(await workbenchLoginThrough(live.app, ACME_LOGIN, sim, CORP_A.corpId, 'newhire')).toMatchObject({ userId: user.id, binding: 'existing' });
  });

  it("a modified name reaches the membership and, for a user we provisioned, the user's display name", async () => {
    sim.updateMember(CORP_A.corpId, 'newhire', { name: '新人改名' });
    await waitFor(async () => (await userOf(ACME, 'newhire'))?.displayName === '新人改名', 'the new name', 30_000);
    expect(await member(ACME, 'newhire')).toMatchObject({ name: '新人改名', status: 'active' });
  });

  it('a duplicated event changes nothing: recorded once, counted as a duplicate', async () => {
    sim.updateMember(CORP_A.corpId, 'wangwu', { job_number: 'A0300' });
    const eventId = simEventId(sim, 'user_modify_org', 'wangwu');
    await recorded(eventId);
    await settled();
    const before = { rows: await events().listByEventId(eventId), audit: (await audit('event.applied')).filter((e) => e.details?.eventId === eventId).length };
    const duplicates = live.watchers.status().find((s) => s.corp === ACME)!.row.duplicates;

    expect(sim.stream.duplicate(eventId)).toBe(1);
    await waitFor(() => live.watchers.status().find((s) => s.corp === ACME)!.row.duplicates === duplicates + 1, 'the duplicate to be skipped', 30_000);
    await settled();
    expect(await events().listByEventId(eventId)).toEqual(before.rows);
    expect((await audit('event.applied')).filter((e) => e.details?.eventId === eventId)).toHaveLength(before.audit);
  });

  it('a redelivered event (its ack lost after it was applied) changes nothing', async () => {
    // A test hook: once Acme has applied the next event (committed), its connection is cut before the ack goes out.
    const corp = acme();
    const original = corp.applyLiveChange.bind(corp);
    let cut = 0;
    corp.applyLiveChange = async (change) => {
      const outcome = await original(change);
      if (cut++ === 0) sim.stream.drop(CORP_A.appKey);
      return outcome;
    };
    try {
      const redelivered = sim.stream.counters().redelivered;
      sim.updateMember(CORP_A.corpId, 'zhaoliu', { job_number: 'A0400' });
      const eventId = simEventId(sim, 'user_modify_org', 'zhaoliu');
      await recorded(eventId);
      await waitFor(() => sim.stream.counters().redelivered > redelivered, 'the event to be pushed again', 30_000);
      await settled();
      expect(await events().listByEventId(eventId)).toHaveLength(1);
      expect((await audit('event.applied')).filter((e) => e.details?.eventId === eventId)).toHaveLength(1);
      expect(cut).toBeGreaterThanOrEqual(1);
    } finally {
      corp.applyLiveChange = original;
    }
  });

  it('a dropped connection reconnects, and a change made while it was down is applied after the reconnect', async () => {
    const blocked = blockRegistration(sim);
    const opened = sim.stream.counters().connectionsOpened;
    sim.stream.drop(CORP_A.appKey);
    await waitFor(() => !live.watchers.status().find((s) => s.corp === ACME)!.connected, 'Acme to be down');
    const login = await workbenchLoginThrough(live.app, ACME_LOGIN, sim, CORP_A.corpId, 'chenjing');
    sim.removeMember(CORP_A.corpId, 'chenjing');
    await quietFor(300);
    expect(await meStatus(live.url, login.token)).toBe(200); // nobody could tell the app yet

    blocked.unblock();
    await waitFor(() => sim.stream.counters().connectionsOpened > opened, 'a new connection');
    await waitFor(async () => (await meStatus(live.url, login.token)) === 401, 'the change made while down to be applied', 30_000);
    expect(await member(ACME, 'chenjing')).toMatchObject({ status: 'left' });
  });

  it('a user_leave_org for someone DingTalk still lists disables nobody (acked, recorded, shown)', async () => {
    const login = await workbenchLoginThrough(live.app, ACME_LOGIN, sim, CORP_A.corpId, 'wangwu');
    const eventId = sim.stream.pushEvent(CORP_A.corpId, 'user_leave_org', { timeStamp: String(Date.now()), userId: ['wangwu'] });
    expect(await recorded(eventId)).toMatchObject({ outcome: 'STILL_MEMBER', message: expect.stringContaining('wangwu') });
    await settled();
    expect(await meStatus(live.url, login.token)).toBe(200);
    expect(await member(ACME, 'wangwu')).toMatchObject({ status: 'active' });
    expect(await live.app.users.findById(login.userId)).toMatchObject({ disabled: false });
    expect(sim.stream.counters().later).toBe(0); // acked SUCCESS, not pushed again
    const status = await acme().getStatus();
    expect(status.events.failures).toContainEqual(expect.objectContaining({ eventId, eventType: 'user_leave_org', outcome: 'STILL_MEMBER' }));
  });

  it("a leaver in two corps loses that corp's binding and sessions, and keeps the other corp's access", async () => {
    // 张三 is in Acme (user zhangsan) and joins Globex with the same mobile: Globex's event binds him to the same user.
    const acmeLogin = await workbenchLoginThrough(live.app, ACME_LOGIN, sim, CORP_A.corpId, 'zhangsan');
    sim.addMember(CORP_B.corpId, { ...simMember(sim, CORP_A.corpId, 'zhangsan'), userid: 'zhang.san.globex', unionid: 'zhangsanGlobexUnion00001', dept_id_list: [1] });
    await waitFor(async () => (await member(GLOBEX, 'zhang.san.globex'))?.localUserId === acmeLogin.userId, 'the Globex membership, bound to the same user', 30_000);
    const globexLogin = await workbenchLoginThrough(live.app, GLOBEX_LOGIN, sim, CORP_B.corpId, 'zhang.san.globex');
    expect(globexLogin.userId).toBe(acmeLogin.userId);

    sim.removeMember(CORP_A.corpId, 'zhangsan');
    await waitFor(async () => (await meStatus(live.url, acmeLogin.token)) === 401, 'the Acme session to end', 30_000);
    expect(await meStatus(live.url, globexLogin.token)).toBe(200);
    expect(await live.app.users.findById(acmeLogin.userId)).toMatchObject({ disabled: false });
    expect(await member(ACME, 'zhangsan')).toMatchObject({ status: 'left', disabledUserId: null });
    expect(await member(GLOBEX, 'zhang.san.globex')).toMatchObject({ status: 'active' });
  });

  it('offline is sticky: an event about an offline member does not bring them back', async () => {
    await acme().offlineMember('alice.chen');
    sim.updateMember(CORP_A.corpId, 'alice.chen', { name: 'Alice Chen-Wu' });
    const eventId = simEventId(sim, 'user_modify_org', 'alice.chen');
    expect(await recorded(eventId)).toMatchObject({ outcome: 'applied' });
    expect(await member(ACME, 'alice.chen')).toMatchObject({ status: 'offline', name: 'Alice Chen' });
    expect((await userOf(ACME, 'alice.chen'))!.disabled).toBe(true);
  });

  it('department events create, rename and remove departments', async () => {
    sim.addDepartment(CORP_A.corpId, { dept_id: 901, name: '新部门', parent_id: 2, order: 9 });
    const created = await waitFor(() => live.orgModel().findDepartment(ACME, 901), 'the department', 30_000);
    expect(created).toMatchObject({ name: '新部门', parentId: 2, order: 9, removedAt: null });
    sim.updateDepartment(CORP_A.corpId, 901, { name: '改名部门' });
    await waitFor(async () => (await live.orgModel().findDepartment(ACME, 901))?.name === '改名部门', 'the new name', 30_000);
    sim.removeDepartment(CORP_A.corpId, 901);
    await waitFor(async () => (await live.orgModel().findDepartment(ACME, 901))?.removedAt != null, 'the removal', 30_000);
  });

  it('an event that can never be applied (AMBIGUOUS_MATCH) is acked, recorded with its code and shown, not pushed again', async () => {
    // Two accounts made by hand share the phone the new member's mobile matches (autoBind mobile -> phone).
    await live.app.users.create({ username: 'twin.one', phone: '13800138200', source: 'cli' });
    await live.app.users.create({ username: 'twin.two', phone: '13800138200', source: 'cli' });
    const later = sim.stream.counters().later;
    sim.addMember(CORP_A.corpId, { userid: 'twin', unionid: 'twinUnionId0000000000001', name: 'Twin', mobile: '13800138200', dept_id_list: [2] });
    const eventId = simEventId(sim, 'user_add_org', 'twin');
    expect(await recorded(eventId)).toMatchObject({ outcome: 'AMBIGUOUS_MATCH' });
    await settled();
    expect(sim.stream.counters().later).toBe(later);
    expect(await member(ACME, 'twin')).toBeNull(); // rolled back whole
    expect((await audit('event.applied')).find((e) => e.details?.eventId === eventId)).toMatchObject({ outcome: 'AMBIGUOUS_MATCH' });
    const status = await acme().getStatus();
    expect(status.events.failures).toContainEqual(expect.objectContaining({ eventId, outcome: 'AMBIGUOUS_MATCH' }));
    expect(status.events.notApplied).toBeGreaterThanOrEqual(2);
  });

  it('a transient failure (DingTalk unavailable) is acked LATER, with nothing written; pushed again, it is applied once', async () => {
    const before = { later: sim.stream.counters().later, retried: live.watchers.status().find((s) => s.corp === ACME)!.row.retried };
    // Every attempt of one delivery fails (the client retries 4 times); the next delivery succeeds.
    sim.injectFault({ endpoints: ['topapi/v2/user/get'], kind: 'busy', count: 4 });
    sim.updateMember(CORP_A.corpId, 'wangfang01', { job_number: 'A0808' });
    const eventId = simEventId(sim, 'user_modify_org', 'wangfang01');
    await waitFor(() => sim.stream.counters().later > before.later, 'the LATER ack', 30_000);
    const row = await recorded(eventId);
    expect(row).toMatchObject({ outcome: 'applied' });
    // Applied by the delivery after the LATER one (the simulator pushes again REDELIVERY_MS later).
    expect(row.appliedAt.getTime() - row.bornAt!.getTime()).toBeGreaterThanOrEqual(REDELIVERY_MS);
    await settled();
    expect(live.watchers.status().find((s) => s.corp === ACME)!.row.retried).toBe(before.retried + 1);
    expect(await events().listByEventId(eventId)).toHaveLength(1);
    expect(await live.app.getElement<BindingStore>(BINDINGS).findByMember(CORP_A.corpId, 'wangfang01')).toMatchObject({ jobNumber: 'A0808' });
    expect(await live.app.metrics.text()).toMatch(/jit_events_applied_total\{corp="corps\.acme",type="user_modify_org",outcome="retry"\} [1-9]/);
  });

  it("live events applied while a sync runs are not undone by the sync's older snapshot", async () => {
    const corp = acme();
    const login = await workbenchLoginThrough(live.app, ACME_LOGIN, sim, CORP_A.corpId, 'bob.li');
    // A test hook: the sync reads the whole organisation, then waits at the gate before it writes.
    const original = corp.getThirdCorpData.bind(corp);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let readAll = false;
    corp.getThirdCorpData = async function* (options) {
      yield* original(options);
      readAll = true;
      await gate;
    };
    try {
      const sync = corp.syncCorp({ holder: 'the test' });
      await waitFor(() => readAll, 'the sync to have read the organisation');
      // Meanwhile in DingTalk: Bob leaves, a newcomer joins, a department is renamed. The events are applied now.
      sim.removeMember(CORP_A.corpId, 'bob.li');
      sim.addMember(CORP_A.corpId, { userid: 'latecomer', unionid: 'latecomerUnionId00000001', name: 'Late Comer', mobile: '13800138300', dept_id_list: [3] });
      sim.updateDepartment(CORP_A.corpId, 3, { name: '销售一部' });
      await recorded(simEventId(sim, 'user_leave_org', 'bob.li'));
      await recorded(simEventId(sim, 'user_add_org', 'latecomer'));
      await recorded(simEventId(sim, 'org_dept_modify', 3));
      expect(await meStatus(live.url, login.token)).toBe(401);

      release();
      const summary = await sync;
      // The snapshot still listed Bob and not the newcomer, and the old department name: the newer changes stand.
      expect(summary.members).toMatchObject({ left: 0, disabled: 0 });
      expect(summary.updated.map((u) => u.userid)).not.toContain('bob.li');
      expect(await member(ACME, 'bob.li')).toMatchObject({ status: 'left', disabledUserId: login.userId });
      expect(await live.app.users.findById(login.userId)).toMatchObject({ disabled: true });
      expect(await meStatus(live.url, login.token)).toBe(401);
      expect(await member(ACME, 'latecomer')).toMatchObject({ status: 'active' });
      expect(await live.orgModel().findDepartment(ACME, 3)).toMatchObject({ name: '销售一部', removedAt: null });

      // The next sync reads the organisation as it is now: the same outcome, nothing to undo.
      const next = await corp.syncCorp({ holder: 'the test' });
      expect(next.members).toMatchObject({ left: 0, added: 0 });
      expect(await member(ACME, 'bob.li')).toMatchObject({ status: 'left' });
    } finally {
      release();
      corp.getThirdCorpData = original;
    }
  });

  it('metrics: events applied by corp, type and outcome; the lag; the connection', async () => {
    const text = await live.app.metrics.text();
    expect(text).toMatch(/jit_events_applied_total\{corp="corps\.acme",type="user_leave_org",outcome="applied"\} [1-9]/);
    expect(text).toMatch(/jit_events_applied_total\{corp="corps\.acme",type="user_modify_org",outcome="duplicate"\} [1-9]/);
    expect(text).toMatch(/jit_events_applied_total\{corp="corps\.acme",type="user_add_org",outcome="AMBIGUOUS_MATCH"\} 1/);
    expect(text).toMatch(/jit_event_lag_seconds_count\{corp="corps\.acme"\} [1-9]/);
    expect(text).toMatch(/jit_stream_connected\{corp="corps\.acme"\} 1/);
    expect(text).toMatch(/jit_stream_connected\{corp="corps\.globex"\} 1/);
  });

  it('jit org status shows the Stream connection, events applied, duplicates skipped and the last catch-up sync', async () => {
    const { events: status } = await acme().getStatus();
    expect(status).toMatchObject({
      enabled: true,
      connected: true,
      since: expect.any(Date),
      lastEventAt: expect.any(Date),
      duplicatesSkipped: expect.any(Number),
      lastCatchUp: expect.objectContaining({ outcome: 'complete' }),
    });
    expect(status.applied).toBeGreaterThanOrEqual(6);
    expect(status.duplicatesSkipped).toBeGreaterThanOrEqual(2);
    expect(status.watchers).toEqual([expect.objectContaining({ state: 'running', connected: true, reconnects: expect.any(Number) })]);
  });
});
