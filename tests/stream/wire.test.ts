/**
 * The simulator's frames and its reading of acks, over a raw WebSocket (docs/dingtalk-facts.md §12):
 * the exact frame shapes, pings that need the opaque back, strict acks, redelivery of unacked and
 * LATER events, a disconnect frame followed by the close, and one connection per push.
 */
import type { SimulatorHandle } from '../../sim';
import { CORP_A, REDELIVERY_MS, appA, corpA, memberOf, quietFor, rawConnection, startStreamSimulator, waitFor, type RawConnection } from './helpers';

let sim: SimulatorHandle;
let conn: RawConnection;
beforeEach(async () => {
  sim = await startStreamSimulator();
  conn = await rawConnection(sim);
});
afterEach(async () => {
  conn.close();
  await sim.close();
});

const joiner = () => ({ ...memberOf(corpA, 'wangwu'), userid: `joiner${Math.floor(Math.random() * 1e9)}`, unionid: `u${Math.floor(Math.random() * 1e12)}` });

describe('frames', () => {
  it('sends an EVENT frame exactly as the protocol page prints it', async () => {
    const member = joiner();
    sim.addMember(CORP_A, member);
    const [frame] = await waitFor(() => conn.eventFrames().length === 1 && conn.eventFrames(), 'the EVENT frame');
    expect(Object.keys(frame).sort()).toEqual(['data', 'headers', 'specVersion', 'type']);
    expect(frame.specVersion).toBe('1.0');
    expect(frame.type).toBe('EVENT');
    expect(Object.keys(frame.headers).sort()).toEqual(
      ['contentType', 'eventBornTime', 'eventCorpId', 'eventId', 'eventType', 'eventUnifiedAppId', 'messageId', 'time', 'topic'].sort(),
    );
    for (const value of Object.values(frame.headers)) expect(typeof value).toBe('string');
    expect(frame.headers).toMatchObject({ topic: '*', contentType: 'application/json', eventType: 'user_add_org', eventCorpId: CORP_A });
    expect(frame.headers.eventId).toMatch(/^[0-9a-f]{32}$/);
    expect(frame.headers.time).toMatch(/^\d{13}$/);
    expect(frame.headers.eventBornTime).toMatch(/^\d{13}$/);
    expect(typeof frame.data).toBe('string');
    expect(JSON.parse(frame.data)).toEqual({ timeStamp: expect.stringMatching(/^\d{13}$/), userId: [member.userid] });
  });

  it('sends a SYSTEM ping with an opaque, and counts the answer only when the opaque comes back', async () => {
    expect(sim.stream.ping(appA.appKey)).toBe(1);
    const ping = await waitFor(() => conn.frames.find((f) => f.type === 'SYSTEM'), 'the ping');
    expect(ping).toEqual({
      specVersion: '1.0',
      type: 'SYSTEM',
      headers: { topic: 'ping', contentType: 'application/json', messageId: expect.any(String), time: expect.stringMatching(/^\d{13}$/) },
      data: expect.any(String),
    });
    const { opaque } = JSON.parse(ping.data);
    expect(typeof opaque).toBe('string');
    // A wrong opaque is a protocol error, not an answer.
    conn.socket.send(JSON.stringify({ code: 200, headers: ping.headers, message: 'OK', data: JSON.stringify({ opaque: 'something else' }) }));
    await waitFor(() => sim.stream.connections()[0].protocolErrors === 1, 'the protocol error');
    expect(sim.stream.connections()[0]).toMatchObject({ pongs: 0, lastProtocolError: expect.stringMatching(/opaque/) });

    sim.stream.ping(appA.appKey);
    const second = await waitFor(() => conn.frames.filter((f) => f.type === 'SYSTEM')[1], 'the second ping');
    conn.socket.send(JSON.stringify({ code: 200, headers: second.headers, message: 'OK', data: second.data }));
    await waitFor(() => sim.stream.connections()[0].pongs === 1, 'the pong');
  });

  it('reads acks strictly: a malformed ack is a protocol error and leaves the event unacked', async () => {
    sim.addMember(CORP_A, joiner());
    const [frame] = await waitFor(() => conn.eventFrames().length === 1 && conn.eventFrames(), 'the EVENT frame');
    const { messageId } = frame.headers;
    const bad = [
      'not json',
      JSON.stringify({ code: 200, headers: { messageId }, message: 'OK', data: '{"status":"SUCCESS"}' }), // no contentType
      JSON.stringify({ code: 200, headers: { messageId, contentType: 'application/json' }, message: 'OK', data: { status: 'SUCCESS' } }), // data not a string
      JSON.stringify({ code: 200, headers: { messageId, contentType: 'application/json' }, message: 'OK', data: '{"status":"DONE"}' }),
      JSON.stringify({ code: 200, headers: { messageId: 'nope', contentType: 'application/json' }, message: 'OK', data: '{"status":"SUCCESS"}' }),
    ];
    for (const text of bad) conn.socket.send(text);
    await waitFor(() => sim.stream.counters().protocolErrors === bad.length, 'every protocol error');
    expect(sim.stream.counters().acked).toBe(0);
    // Unacked, it comes again (after REDELIVERY_MS), same eventId, new messageId.
    const again = await waitFor(() => conn.eventFrames()[1], 'the redelivery');
    expect(again.headers.eventId).toBe(frame.headers.eventId);
    expect(again.headers.messageId).not.toBe(messageId);
    conn.ack(again.headers.messageId, 'SUCCESS');
    await waitFor(() => sim.stream.pending().length === 0, 'the event to be done');
    expect(sim.stream.counters()).toMatchObject({ pushed: 1, delivered: 2, redelivered: 1, acked: 1 });
  });

  it('pushes a LATER event again, and an event acked SUCCESS never again', async () => {
    sim.addMember(CORP_A, joiner());
    const first = await waitFor(() => conn.eventFrames()[0], 'the EVENT frame');
    conn.ack(first.headers.messageId, 'LATER');
    await waitFor(() => sim.stream.pending()[0]?.state === 'retry', 'the retry to be scheduled');
    const second = await waitFor(() => conn.eventFrames()[1], 'the redelivery');
    expect(second.headers.eventId).toBe(first.headers.eventId);
    conn.ack(second.headers.messageId, 'SUCCESS');
    await waitFor(() => sim.stream.pending().length === 0, 'the event to be done');
    await quietFor(REDELIVERY_MS * 1.5);
    expect(conn.eventFrames()).toHaveLength(2);
    expect(sim.stream.counters()).toMatchObject({ delivered: 2, redelivered: 1, later: 1, acked: 1, protocolErrors: 0 });
  });

  it('treats an ack with a code other than 200 as a failure and pushes again', async () => {
    sim.addMember(CORP_A, joiner());
    const first = await waitFor(() => conn.eventFrames()[0], 'the EVENT frame');
    conn.socket.send(JSON.stringify({ code: 500, headers: { messageId: first.headers.messageId, contentType: 'application/json' }, message: 'boom', data: '' }));
    await waitFor(() => conn.eventFrames()[1], 'the redelivery');
    expect(sim.stream.counters()).toMatchObject({ failedAcks: 1, protocolErrors: 0 });
  });

  it('sends disconnect with a reason, pushes nothing more on that connection, and closes it', async () => {
    const closed = new Promise<number>((resolve) => conn.socket.once('close', (code) => resolve(code)));
    expect(sim.stream.disconnect(appA.appKey, 'persistent connection is timeout')).toBe(1);
    const frame = await waitFor(() => conn.frames.find((f) => f.headers.topic === 'disconnect'), 'the disconnect frame');
    expect(frame).toMatchObject({ specVersion: '1.0', type: 'SYSTEM', headers: { topic: 'disconnect', contentType: 'application/json' } });
    expect(JSON.parse(frame.data)).toEqual({ reason: 'persistent connection is timeout' });
    expect(sim.stream.connections()[0].closing).toBe(true);
    sim.addMember(CORP_A, joiner());
    expect(await closed).toBe(1000);
    expect(conn.eventFrames()).toHaveLength(0);
    // The event waits for the next connection.
    expect(sim.stream.pending()).toEqual([expect.objectContaining({ eventType: 'user_add_org', state: 'waiting' })]);
    const next = await rawConnection(sim);
    const frameOnNext = await waitFor(() => next.eventFrames()[0], 'the event on the next connection');
    expect(frameOnNext.headers.eventType).toBe('user_add_org');
    next.close();
  });

  it('holds events while paused and pushes them on resume', async () => {
    sim.stream.pause(appA.appKey);
    sim.addMember(CORP_A, joiner());
    await quietFor(200);
    expect(conn.eventFrames()).toHaveLength(0);
    expect(sim.stream.pending()).toEqual([expect.objectContaining({ state: 'waiting', attempts: 0 })]);
    sim.stream.resume(appA.appKey);
    await waitFor(() => conn.eventFrames().length === 1, 'the held event');
  });

  it('picks one connection per push when an app has several', async () => {
    // Its own simulator, with DingTalk's 60 s redelivery, so no event is pushed twice during the test.
    const quiet = await startStreamSimulator({ stream: { redeliveryMs: 60_000 } });
    const [one, two] = [await rawConnection(quiet), await rawConnection(quiet)];
    try {
      const count = 20;
      for (let i = 0; i < count; i++) quiet.stream.pushEvent(CORP_A, 'org_change', {});
      const all = () => [...one.eventFrames(), ...two.eventFrames()];
      await waitFor(() => all().length === count, 'every event');
      expect(new Set(all().map((f) => f.headers.eventId)).size).toBe(count);
      // Random per push (seeded): both connections got some.
      expect(one.eventFrames().length).toBeGreaterThan(0);
      expect(two.eventFrames().length).toBeGreaterThan(0);
    } finally {
      one.close();
      two.close();
      await quiet.close();
    }
  });
});
