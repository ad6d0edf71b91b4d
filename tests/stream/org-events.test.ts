/**
 * Org changes through the simulator's admin API (as `jit sim` serves it) push the matching contact
 * events to the connected apps of that corp, with ids only, as docs/dingtalk-facts.md §12 prints them.
 */
import type { ContactEvent, ContactEventType } from '../../dingtalk/stream';
import { connectSimulator, type SimulatorClient, type SimulatorHandle } from '../../sim';
import { http } from '../helpers/http';
import { CORP_A, appB, corpA, corpB, memberOf, quietFor, startStreamSimulator, stopAll, streamClient, waitFor, type TestClient } from './helpers';

let sim: SimulatorHandle;
let admin: SimulatorClient;
let a: TestClient;
let b: TestClient;
beforeAll(async () => {
  sim = await startStreamSimulator();
  admin = await connectSimulator(sim.url, { token: sim.adminToken });
  a = streamClient(sim);
  b = streamClient(sim, { credentials: { appKey: appB.appKey, appSecret: appB.appSecret } });
  a.client.start();
  b.client.start();
  await waitFor(() => a.client.status.connected && b.client.status.connected, 'both clients to connect');
});
afterAll(async () => {
  await stopAll();
  await sim.close();
});

/** The contact events app A receives from now until `count` have arrived. */
async function nextEvents(change: () => Promise<void>, count = 1): Promise<ContactEvent[]> {
  const from = a.events.length;
  await change();
  await waitFor(() => a.events.length >= from + count, `${count} event(s)`);
  await waitFor(() => sim.stream.pending().length === 0, 'every event to be acked');
  return a.events.slice(from) as ContactEvent[];
}

const types = (events: ContactEvent[]) => events.map((e) => e.eventType as ContactEventType);

describe('member changes', () => {
  it('a joiner: user_add_org with the userid', async () => {
    const member = { ...memberOf(corpA, 'wangwu'), userid: 'newhire', unionid: 'newhireUnion' };
    const [event] = await nextEvents(() => admin.addMember(CORP_A, member));
    expect(event).toMatchObject({ kind: 'contact', eventType: 'user_add_org', corpId: CORP_A, data: { userId: ['newhire'], timeStamp: expect.stringMatching(/^\d+$/) } });
    expect(Object.keys(event.data).sort()).toEqual(['timeStamp', 'userId']);
  });

  it('a profile change: user_modify_org with diffInfo before and after (doc field names, ids only otherwise)', async () => {
    const before = memberOf(corpA, 'lisi');
    const [event] = await nextEvents(() => admin.updateMember(CORP_A, 'lisi', { name: '李四四', job_number: 'A0999' }));
    expect(event.eventType).toBe('user_modify_org');
    if (event.eventType !== 'user_modify_org') return;
    expect(event.data.userId).toEqual(['lisi']);
    expect(event.data.diffInfo?.userid).toBe('lisi');
    expect(event.data.diffInfo?.prev).toMatchObject({ name: before.name, jobNumber: before.job_number });
    expect(event.data.diffInfo?.curr).toMatchObject({ name: '李四四', jobNumber: 'A0999' });
    // No mobile, no unionid, no snake_case: the doc's diff fields only.
    for (const side of [event.data.diffInfo!.prev, event.data.diffInfo!.curr])
      for (const field of Object.keys(side)) expect(['name', 'email', 'telephone', 'jobNumber', 'workPlace', 'remark', 'extFields', 'managerUserid', 'hiredDate']).toContain(field);
  });

  it('a personal change (avatar) pushes nothing; admin and activation have their own events', async () => {
    const pushed = sim.stream.counters().pushed;
    await admin.updateMember(CORP_A, 'zhaoliu', { avatar: 'https://static.example.com/zl.png' });
    await quietFor(200);
    expect(sim.stream.counters().pushed).toBe(pushed);

    const made = await nextEvents(() => admin.updateMember(CORP_A, 'zhaoliu', { admin: true }));
    expect(made).toEqual([expect.objectContaining({ eventType: 'org_admin_add', data: expect.objectContaining({ userId: ['zhaoliu'] }) })]);
    const unmade = await nextEvents(() => admin.updateMember(CORP_A, 'zhaoliu', { admin: false }));
    expect(types(unmade)).toEqual(['org_admin_remove']);

    await admin.updateMember(CORP_A, 'newhire', { active: false });
    await waitFor(() => sim.stream.pending().length === 0, 'quiet');
    const activated = await nextEvents(() => admin.updateMember(CORP_A, 'newhire', { active: true }));
    expect(activated).toEqual([expect.objectContaining({ eventType: 'user_active_org', data: { userId: ['newhire'] } })]);
  });

  it('a leaver: user_leave_org', async () => {
    const [event] = await nextEvents(() => admin.removeMember(CORP_A, 'newhire'));
    expect(event).toMatchObject({ eventType: 'user_leave_org', data: { userId: ['newhire'] } });
  });
});

describe('department changes', () => {
  it('create, rename, remove: org_dept_create / org_dept_modify / org_dept_remove with the deptId', async () => {
    const created = await nextEvents(() => admin.addDepartment(CORP_A, { dept_id: 901, name: '新部门', parent_id: 1, order: 9 }));
    expect(created).toEqual([expect.objectContaining({ eventType: 'org_dept_create', corpId: CORP_A, data: { deptId: [901] } })]);
    const renamed = await nextEvents(() => admin.updateDepartment(CORP_A, 901, { name: '改名部门' }));
    expect(renamed).toEqual([expect.objectContaining({ eventType: 'org_dept_modify', data: { deptId: [901] } })]);
    const removed = await nextEvents(() => admin.removeDepartment(CORP_A, 901));
    expect(removed).toEqual([expect.objectContaining({ eventType: 'org_dept_remove', data: { deptId: [901] } })]);
  });

  it('refuses to remove a department with members, and pushes nothing', async () => {
    const pushed = sim.stream.counters().pushed;
    const res = await http(sim.url, 'POST', '/__sim/departments/remove', { json: { corpId: CORP_A, deptId: 2 }, headers: { authorization: `Bearer ${sim.adminToken}` } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/sub-departments|members/);
    expect(sim.stream.counters().pushed).toBe(pushed);
  });

  it('in process too: the handle pushes the same events', async () => {
    const events = await nextEvents(async () => sim.addDepartment(CORP_A, { dept_id: 902, name: 'X', parent_id: 2 }));
    expect(types(events)).toEqual(['org_dept_create']);
  });
});

describe('who gets them', () => {
  it("only the apps of the changed corp: corp B's app saw none of corp A's events, and gets its own", async () => {
    expect(b.events).toEqual([]);
    const member = { ...memberOf(corpB, corpB.users[0].userid), userid: 'bjoiner', unionid: 'bjoinerUnion' };
    await admin.addMember(corpB.corpId, member);
    await waitFor(() => b.events.length === 1, "corp B's event");
    expect(b.events[0]).toMatchObject({ eventType: 'user_add_org', corpId: corpB.corpId, data: { userId: ['bjoiner'] } });
    expect(a.events.some((e) => e.corpId !== CORP_A)).toBe(false);
  });

  it('the admin API lists connections, pending events, pushed events and counters', async () => {
    const connections = await admin.stream.connections();
    expect(connections.map((c) => c.corpId).sort()).toEqual([CORP_A, corpB.corpId].sort());
    expect(await admin.stream.pending()).toEqual([]);
    const events = await admin.stream.events();
    expect(events.map((e) => e.eventType)).toContain('org_dept_remove');
    const counters = await admin.stream.counters();
    expect(counters).toMatchObject({ pushed: events.reduce((n, e) => n + e.appKeys.length, 0), protocolErrors: 0 });
    expect(counters.acked).toBe(counters.pushed);
  });

  it('the admin API drops connections; the clients come back', async () => {
    const opened = (await admin.stream.counters()).connectionsOpened;
    expect(await admin.stream.drop()).toBe(2);
    await waitFor(async () => (await admin.stream.counters()).connectionsOpened === opened + 2, 'both clients to reconnect');
    await waitFor(() => a.client.status.connected && b.client.status.connected, 'both connected');
  });
});
