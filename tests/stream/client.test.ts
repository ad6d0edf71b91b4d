/**
 * DingTalkStreamClient against the simulator over a real WebSocket: register and connect, answer
 * pings, ack by the handler's outcome (applied, transient, permanent, duplicate), reconnect with a new
 * ticket after a drop or a disconnect frame, report gaps, share an app between two clients, and
 * survive bad credentials without a crash or a secret in any log line.
 */
import { PermanentEventError, type StreamEvent } from '../../dingtalk/stream';
import { JitError } from '../../runtime/errors';
import { LOGIN_ERRORS } from '../../runtime/auth/login-error-codes';
import type { SimulatorHandle } from '../../sim';
import { CORP_A, REDELIVERY_MS, appA, blockRegistration, corpA, memberOf, quietFor, startStreamSimulator, stopAll, streamClient, waitFor, type TestClient } from './helpers';

let sim: SimulatorHandle;
beforeEach(async () => {
  sim = await startStreamSimulator();
});
afterEach(async () => {
  await stopAll();
  await sim.close();
});

let serial = 0;
function joiner() {
  serial += 1;
  return { ...memberOf(corpA, 'wangwu'), userid: `joiner${serial}`, unionid: `joinerUnion${serial}` };
}

async function connected(test: TestClient): Promise<void> {
  test.client.start();
  await waitFor(() => test.client.status.connected, 'the client to connect');
}

const handled = (test: TestClient, eventId: string) => test.events.filter((e) => e.eventId === eventId).length;

describe('connecting', () => {
  it('registers with the app credentials, connects, and reports its state', async () => {
    const test = streamClient(sim);
    expect(test.client.status).toMatchObject({ state: 'idle', connected: false, eventsHandled: 0, reconnects: 0 });
    await connected(test);
    expect(test.client.status).toMatchObject({ state: 'connected', connected: true, connectedSince: expect.any(Number) });
    expect(sim.stream.connections()).toEqual([expect.objectContaining({ appKey: appA.appKey, corpId: CORP_A, ua: 'jit-runtime-stream-nodejs/1.0.0' })]);
    expect(sim.stream.counters()).toMatchObject({ ticketsIssued: 1, connectionsOpened: 1 });
  });

  it('answers a ping at once, with its opaque', async () => {
    const test = streamClient(sim);
    await connected(test);
    expect(sim.stream.ping()).toBe(1);
    await waitFor(() => sim.stream.connections()[0]?.pongs === 1, 'the pong');
    expect(sim.stream.counters()).toMatchObject({ pingsSent: 1, pongs: 1, protocolErrors: 0 });
  });

  it('answers a ping even while a slow handler holds an event', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const test = streamClient(sim, { handler: () => held });
    await connected(test);
    sim.addMember(CORP_A, joiner());
    await waitFor(() => test.events.length === 1, 'the handler to start');
    sim.stream.ping();
    await waitFor(() => sim.stream.counters().pongs === 1, 'the pong');
    release();
    await waitFor(() => sim.stream.counters().acked === 1, 'the ack');
  });

  it('stops cleanly: closes its connection and connects no more', async () => {
    const test = streamClient(sim);
    await connected(test);
    await test.client.stop();
    expect(test.client.status).toMatchObject({ state: 'stopped', connected: false });
    await waitFor(() => sim.stream.connections().length === 0, 'the connection to close');
    await quietFor(300);
    expect(sim.stream.counters().ticketsIssued).toBe(1);
  });
});

describe('acks', () => {
  it('acks an applied event SUCCESS, and it is not pushed again', async () => {
    const test = streamClient(sim);
    await connected(test);
    const member = joiner();
    sim.addMember(CORP_A, member);
    await waitFor(() => sim.stream.counters().acked === 1, 'the SUCCESS ack');
    expect(test.events).toEqual([
      expect.objectContaining({ kind: 'contact', eventType: 'user_add_org', corpId: CORP_A, data: { timeStamp: expect.any(String), userId: [member.userid] } }),
    ]);
    expect(test.events[0].eventBornTime).toEqual(expect.any(Number));
    await quietFor(REDELIVERY_MS * 1.5);
    expect(test.events).toHaveLength(1);
    expect(sim.stream.counters()).toMatchObject({ delivered: 1, redelivered: 0, acked: 1, later: 0, protocolErrors: 0 });
    expect(test.client.status).toMatchObject({ eventsHandled: 1, duplicates: 0, transientFailures: 0, lastEventAt: expect.any(Number) });
  });

  it('acks LATER when the handler fails transiently; the event comes again and is then applied', async () => {
    let failures = 1;
    const test = streamClient(sim, {
      handler: () => {
        if (failures-- > 0) throw new Error('database is locked');
      },
    });
    await connected(test);
    sim.addMember(CORP_A, joiner());
    await waitFor(() => test.client.status.eventsHandled === 1, 'the event to be applied on the second push');
    expect(test.events).toHaveLength(2);
    expect(test.events[1].eventId).toBe(test.events[0].eventId);
    // The client counts the event handled before its ACK frame reaches the simulator: wait for that.
    await waitFor(() => sim.stream.counters().acked === 1, 'the simulator to receive the ack');
    expect(sim.stream.counters()).toMatchObject({ later: 1, redelivered: 1, acked: 1 });
    expect(test.client.status).toMatchObject({ transientFailures: 1, lastError: expect.objectContaining({ message: 'database is locked' }) });
    await waitFor(() => sim.stream.pending().length === 0, 'nothing pending');
  });

  it('hands a duplicate to the handler again with the same eventId, and counts what the handler calls a duplicate', async () => {
    const seen = new Set<string>();
    const test = streamClient(sim, { handler: (event) => (seen.has(event.eventId) ? { status: 'duplicate' } : (seen.add(event.eventId), { status: 'applied' })) });
    await connected(test);
    sim.addMember(CORP_A, joiner());
    await waitFor(() => sim.stream.counters().acked === 1, 'the first ack');
    const { eventId } = test.events[0];
    expect(sim.stream.duplicate(eventId)).toBe(1);
    await waitFor(() => sim.stream.counters().acked === 2, 'the duplicate ack');
    expect(handled(test, eventId)).toBe(2);
    expect(test.client.status).toMatchObject({ eventsHandled: 2, duplicates: 1 });
    expect(sim.stream.counters()).toMatchObject({ pushed: 1, duplicates: 1, acked: 2, redelivered: 0 });
  });

  it('acks a permanent failure SUCCESS and reports it; it never comes back', async () => {
    const failures: unknown[] = [];
    const test = streamClient(sim, {
      handler: (event) => {
        if (event.eventType === 'user_add_org') throw LOGIN_ERRORS.error('AMBIGUOUS_MATCH', 'two local users match');
        if (event.eventType === 'user_leave_org') throw new PermanentEventError('no such binding', 'NOT_BOUND');
        return { status: 'rejected', reason: 'not ours', code: 'IGNORED' };
      },
      onPermanentFailure: (failure) => failures.push(failure),
    });
    await connected(test);
    const member = joiner();
    sim.addMember(CORP_A, member);
    sim.removeMember(CORP_A, member.userid);
    sim.stream.pushEvent(CORP_A, 'org_change', {});
    await waitFor(() => sim.stream.counters().acked === 3, 'three SUCCESS acks');
    await quietFor(REDELIVERY_MS * 1.5);
    expect(test.events.map((e) => e.eventType)).toEqual(['user_add_org', 'user_leave_org', 'org_change']);
    expect(sim.stream.counters()).toMatchObject({ later: 0, redelivered: 0 });
    expect(failures).toEqual([
      expect.objectContaining({ eventType: 'user_add_org', code: 'AMBIGUOUS_MATCH', reason: 'two local users match' }),
      expect.objectContaining({ eventType: 'user_leave_org', code: 'NOT_BOUND' }),
      expect.objectContaining({ eventType: 'org_change', code: 'IGNORED', reason: 'not ours' }),
    ]);
    expect(test.client.status).toMatchObject({ permanentFailures: 3, eventsHandled: 0, lastFailure: expect.objectContaining({ eventType: 'org_change' }) });
  });

  it('acks an unreadable contact event SUCCESS without calling the handler, and reports it', async () => {
    const failures: Array<{ code?: string; eventType?: string }> = [];
    const test = streamClient(sim, { onPermanentFailure: (failure) => failures.push(failure) });
    await connected(test);
    sim.stream.pushEvent(CORP_A, 'user_add_org', { timeStamp: '1' }); // no userId
    await waitFor(() => sim.stream.counters().acked === 1, 'the SUCCESS ack');
    expect(test.events).toHaveLength(0);
    expect(failures).toEqual([expect.objectContaining({ eventType: 'user_add_org', code: 'MALFORMED_EVENT' })]);
  });

  it('hands events of other types through untyped', async () => {
    const test = streamClient(sim);
    await connected(test);
    sim.stream.pushEvent(CORP_A, 'check_in', { userId: 'zhangsan', place: 'HQ' });
    await waitFor(() => test.events.length === 1, 'the event');
    expect(test.events[0]).toMatchObject({ kind: 'other', eventType: 'check_in', data: { userId: 'zhangsan', place: 'HQ' } });
  });
});

describe('reconnecting', () => {
  it('after a dropped connection: a new ticket, and an event pushed while down arrives after the reconnect', async () => {
    // Hold the reconnect (registration fails) so the event is certainly pushed while down.
    const test = streamClient(sim);
    await connected(test);
    const registration = blockRegistration(sim);
    expect(sim.stream.drop(appA.appKey)).toBe(1);
    await waitFor(() => test.errors.length >= 2, 'the loss and a failed attempt');
    const member = joiner();
    sim.addMember(CORP_A, member);
    expect(sim.stream.pending()).toEqual([expect.objectContaining({ eventType: 'user_add_org', state: 'waiting' })]);
    expect(test.client.status).toMatchObject({ connected: false, state: 'reconnecting', downSince: expect.any(Number) });
    registration.unblock();
    await waitFor(() => test.client.status.connected, 'the reconnect');
    await waitFor(() => sim.stream.counters().acked === 1, 'the event after the reconnect');
    expect(test.events.map((e) => e.data)).toEqual([expect.objectContaining({ userId: [member.userid] })]);
    expect(sim.stream.counters()).toMatchObject({ ticketsIssued: 2, connectionsOpened: 2 });
    expect(test.client.status).toMatchObject({ reconnects: 1, state: 'connected' });
    const [lost, ...failed] = test.errors.map((e) => e.details.reason);
    expect(lost).toBe('STREAM_CLOSED');
    expect(new Set(failed)).toEqual(new Set(['UNAVAILABLE']));
  });

  it('an event in flight when the connection drops is pushed again after the reconnect', async () => {
    let drop = true;
    const test = streamClient(sim, {
      handler: () => {
        if (drop) {
          drop = false;
          sim.stream.drop(appA.appKey); // the ack of this push is lost
        }
      },
    });
    await connected(test);
    sim.addMember(CORP_A, joiner());
    await waitFor(() => sim.stream.counters().acked === 1, 'the event to be acked on the new connection');
    expect(test.events).toHaveLength(2);
    expect(test.events[1].eventId).toBe(test.events[0].eventId);
    expect(sim.stream.counters()).toMatchObject({ redelivered: 1, connectionsOpened: 2 });
  });

  it('after a disconnect frame: reconnects at once with a new ticket, without a gap', async () => {
    const test = streamClient(sim);
    await connected(test);
    const [first] = sim.stream.connections();
    expect(sim.stream.disconnect(appA.appKey)).toBe(1);
    await waitFor(() => test.client.status.reconnects === 1, 'the new connection');
    await waitFor(() => sim.stream.connections().length === 1 && sim.stream.connections()[0].id !== first.id, 'the old connection to close');
    expect(sim.stream.counters().ticketsIssued).toBe(2);
    expect(test.gaps).toEqual([]);
    sim.addMember(CORP_A, joiner());
    await waitFor(() => sim.stream.counters().acked === 1, 'an event on the new connection');
    expect(test.client.status).toMatchObject({ connected: true, state: 'connected', downSince: undefined });
  });

  it('after a disconnect frame, if the new connection is late, the gap is reported as caused by the disconnect', async () => {
    const test = streamClient(sim);
    await connected(test);
    const registration = blockRegistration(sim);
    sim.stream.disconnect(appA.appKey);
    // The server closes the old connection (1 s after the frame) before a replacement could open.
    await waitFor(() => test.client.status.downSince !== undefined, 'the old connection to close');
    registration.unblock();
    await waitFor(() => test.gaps.length === 1, 'the gap');
    expect(test.gaps[0]).toMatchObject({ cause: 'disconnect', catchUp: false, ms: expect.any(Number) });
  });

  it('reconnects when the new connection drops while the old one still drains after a disconnect frame', async () => {
    const slow = await startStreamSimulator({ stream: { disconnectCloseMs: 3000 } });
    try {
      const test = streamClient(slow);
      await connected(test);
      const [first] = slow.stream.connections();
      slow.stream.disconnect(appA.appKey);
      await waitFor(() => test.client.status.reconnects === 1, 'the replacement');
      const second = slow.stream.connections().find((c) => c.id !== first.id)!;
      expect(slow.stream.drop(appA.appKey, second.id)).toBe(1);
      await waitFor(() => test.client.status.reconnects === 2, 'a third connection while the first still drains');
      await waitFor(() => slow.stream.connections().length === 1, 'the first to close');
      expect(slow.stream.connections()[0].id).not.toMatch(new RegExp(`^(${first.id}|${second.id})$`));
      expect(test.gaps).toEqual([]);
      await test.client.stop();
    } finally {
      await slow.close();
    }
  });

  it('notices a half-open connection by its keep-alive, reconnects, and gets the event lost in it', async () => {
    const test = streamClient(sim, { keepAliveMs: 100 });
    await connected(test);
    const [first] = sim.stream.connections();
    expect(sim.stream.stall(appA.appKey)).toBe(1);
    const member = joiner();
    sim.addMember(CORP_A, member); // pushed into the silent connection: lost
    await waitFor(() => test.client.status.reconnects === 1, 'the keep-alive to notice and reconnect');
    expect(test.errors[0]).toMatchObject({ code: 'DINGTALK_UNAVAILABLE', details: expect.objectContaining({ reason: 'STREAM_CLOSED' }) });
    expect(test.errors[0].message).toMatch(/keep-alive/);
    // Not acked, the event is pushed again after the redelivery delay, on the new connection.
    await waitFor(() => sim.stream.counters().acked === 1, 'the event on the new connection');
    expect(test.events.map((e) => e.data)).toEqual([expect.objectContaining({ userId: [member.userid] })]);
    expect(sim.stream.drop(appA.appKey, first.id)).toBe(1);
  });

  it('reports each gap with its length, and asks for a catch-up past the threshold', async () => {
    const short = streamClient(sim);
    await connected(short);
    let registration = blockRegistration(sim);
    sim.stream.drop();
    await waitFor(() => short.errors.length >= 2, 'a failed attempt while down');
    registration.unblock();
    await waitFor(() => short.gaps.length === 1, 'the first gap');
    const [gap] = short.gaps;
    expect(gap).toMatchObject({ cause: 'closed', catchUp: false });
    expect(gap.ms).toBeGreaterThan(0);
    expect(gap.endedAt - gap.startedAt).toBe(gap.ms);
    expect(short.client.status.lastGap).toEqual(gap);
    await short.client.stop();

    // The same with a threshold of 1 ms: any real gap asks for a catch-up.
    const strict = streamClient(sim, { catchUpAfterMs: 1 });
    await connected(strict);
    registration = blockRegistration(sim);
    sim.stream.drop();
    await waitFor(() => strict.errors.length >= 2, 'a failed attempt while down');
    registration.unblock();
    await waitFor(() => strict.gaps.length === 1, 'the gap');
    expect(strict.gaps[0]).toMatchObject({ cause: 'closed', catchUp: true });
  });

  it('backs off between failed attempts, doubling to the ceiling', async () => {
    // random() = 1: each wait is the full ceiling of its attempt, 40, 80, 160, 160 ms.
    const failedAt: number[] = [];
    const test = streamClient(sim, { backoff: { initialMs: 40, maxMs: 160 }, random: () => 1, onError: () => failedAt.push(Date.now()) });
    sim.injectFault({ endpoints: ['gateway/connections/open'], kind: 'http500', count: 5 });
    test.client.start();
    await waitFor(() => test.client.status.connected, 'the connection after five failures');
    expect(test.errors.map((e) => e.code)).toEqual(Array(5).fill('DINGTALK_UNAVAILABLE'));
    const waits = failedAt.slice(1).map((at, i) => at - failedAt[i]);
    [40, 80, 160, 160].forEach((least, i) => expect(waits[i]).toBeGreaterThanOrEqual(least - 5));
    expect(sim.stream.counters().ticketsIssued).toBe(1);
  });
});

describe('two clients of one app', () => {
  it('each event reaches exactly one of them', async () => {
    const one = streamClient(sim);
    const two = streamClient(sim);
    await connected(one);
    await connected(two);
    const count = 20;
    for (let i = 0; i < count; i++) sim.stream.pushEvent(CORP_A, 'org_dept_modify', { deptId: [2] });
    await waitFor(() => sim.stream.counters().acked === count, 'every event acked');
    const ids = [...one.events, ...two.events].map((e: StreamEvent) => e.eventId);
    expect(ids).toHaveLength(count);
    expect(new Set(ids).size).toBe(count);
    expect(one.events.length).toBeGreaterThan(0);
    expect(two.events.length).toBeGreaterThan(0);
  });
});

describe('bad credentials', () => {
  it('give a clear typed error, back off and keep trying, never crash; no secret or ticket in any log line', async () => {
    const secret = `${appA.appSecret.slice(0, 20)}WRONG${'x'.repeat(39)}`;
    const test = streamClient(sim, { credentials: { appKey: appA.appKey, appSecret: secret } });
    test.client.start();
    await waitFor(() => test.errors.length >= 3, 'three failed attempts');
    const [error] = test.errors;
    expect(error).toBeInstanceOf(JitError);
    expect(error.code).toBe('DINGTALK_API_ERROR');
    expect(error.details).toMatchObject({ call: 'gateway/connections/open', reason: 'APP_CREDENTIALS_REJECTED', code: 'invalidClientIdOrSecret', httpStatus: 400 });
    expect(error.message).toMatch(/Client ID and Client Secret/);
    expect(test.client.status).toMatchObject({ connected: false, state: 'connecting', lastError: expect.objectContaining({ reason: 'APP_CREDENTIALS_REJECTED' }) });
    expect(test.client.status.nextAttemptAt).toEqual(expect.any(Number));
    expect(sim.stream.counters().ticketsIssued).toBe(0);
    await test.client.stop();

    // A working client in the same run, for log lines with tickets in play.
    const good = streamClient(sim);
    await connected(good);
    sim.stream.disconnect();
    await waitFor(() => good.client.status.reconnects === 1, 'a reconnect');
    const lines = [...test.log.lines, ...good.log.lines, ...test.errors.map((e) => JSON.stringify(e.toJSON()) + e.message)];
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) {
      expect(line).not.toContain(secret);
      expect(line).not.toContain(appA.appSecret);
      expect(line).not.toMatch(/ticket=(?!\[redacted\])/);
      expect(line).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/); // a ticket
    }
  });

  it('refuses a client without credentials or API URL at construction, naming the option', () => {
    expect(() => streamClient(sim, { credentials: { appKey: '', appSecret: 'x' } })).toThrow(/credentials\.appKey/);
    expect(() => streamClient(sim, { credentials: { appKey: 'dingabc', appSecret: '' } })).toThrow(/credentials\.appSecret/);
    expect(() => streamClient(sim, { apiUrl: 'api.dingtalk.com' })).toThrow(/apiUrl/);
  });
});
