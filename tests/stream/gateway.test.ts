/**
 * Stream step 1 and 2 on the simulator (docs/dingtalk-facts.md §12): POST connections/open answers
 * {endpoint, ticket} for good credentials and the v1.0 error shape otherwise; the ticket opens one
 * WebSocket, within 90 seconds of the simulator's clock, and no other.
 */
import { WebSocket } from 'ws';
import { http } from '../helpers/http';
import { appA, openSocket, streamSimulatorOptions, waitFor } from './helpers';
import { useSimulator } from '../helpers/simulator';

const sim = useSimulator(streamSimulatorOptions());

const OPEN = '/v1.0/gateway/connections/open';
const JSON_HEADERS = { accept: 'application/json' };
const subscriptions = [{ type: 'EVENT', topic: '*' }];

async function register(body: Record<string, unknown> = {}): Promise<{ endpoint: string; ticket: string }> {
  const res = await http(sim.apiUrl, 'POST', OPEN, { json: { clientId: appA.appKey, clientSecret: appA.appSecret, subscriptions, ...body }, headers: JSON_HEADERS });
  expect(res.status).toBe(200);
  return res.body;
}

/** The handshake's HTTP status: 101 when it opens, else the refusal's. */
function handshake(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => {
      socket.terminate();
      resolve(101);
    });
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

describe('POST /v1.0/gateway/connections/open', () => {
  it('answers {endpoint, ticket} for the app credentials, the endpoint on the simulator itself', async () => {
    const res = await http(sim.apiUrl, 'POST', OPEN, {
      json: { clientId: appA.appKey, clientSecret: appA.appSecret, subscriptions, ua: 'dingtalk-sdk-nodejs/2.1.5', localIp: '10.0.0.8' },
      headers: JSON_HEADERS,
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['endpoint', 'ticket']);
    expect(res.body.endpoint).toBe(`${sim.url.replace(/^http/, 'ws')}/connect`);
    expect(res.body.ticket).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('refuses bad credentials with the v1.0 error shape, and issues no ticket', async () => {
    const before = sim.stream.counters().ticketsIssued;
    const res = await http(sim.apiUrl, 'POST', OPEN, { json: { clientId: appA.appKey, clientSecret: 'not-the-secret', subscriptions }, headers: JSON_HEADERS });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'invalidClientIdOrSecret', message: expect.any(String), requestid: expect.any(String) });
    expect(res.headers.get('x-acs-request-id')).toBe(res.body.requestid);
    expect(sim.stream.counters().ticketsIssued).toBe(before);
  });

  it('checks the body: JSON, each field, and only topic * for EVENT', async () => {
    const form = await http(sim.apiUrl, 'POST', OPEN, { form: { clientId: appA.appKey }, headers: JSON_HEADERS });
    expect(form.status).toBe(400);
    expect(form.body.code).toBe('Missingbody');
    const cases: Array<[Record<string, unknown>, string, RegExp?]> = [
      [{ clientSecret: appA.appSecret, subscriptions }, 'MissingclientId'],
      [{ clientId: appA.appKey, subscriptions }, 'MissingclientSecret'],
      [{ clientId: appA.appKey, clientSecret: appA.appSecret }, 'Missingsubscriptions'],
      [{ clientId: appA.appKey, clientSecret: appA.appSecret, subscriptions: [] }, 'InvalidParameter', /subscriptions/],
      [{ clientId: appA.appKey, clientSecret: appA.appSecret, subscriptions: [{ type: 'EVENT', topic: 'user_add_org' }] }, 'InvalidParameter', /topic.*\*/],
      [{ clientId: appA.appKey, clientSecret: appA.appSecret, subscriptions: [{ type: 'PUSH', topic: '*' }] }, 'InvalidParameter', /type/],
    ];
    for (const [json, code, message] of cases) {
      const res = await http(sim.apiUrl, 'POST', OPEN, { json, headers: JSON_HEADERS });
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code });
      if (message) expect(res.body.message).toMatch(message);
    }
  });

  it('answers in XML without Accept: application/json, as DingTalk does', async () => {
    const res = await http(sim.apiUrl, 'POST', OPEN, { json: { clientId: appA.appKey, clientSecret: appA.appSecret, subscriptions } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(res.body).toBeUndefined();
    expect(res.text).toMatch(/<endpoint>ws:\/\/.*\/connect<\/endpoint><ticket>[0-9a-f-]{36}<\/ticket>/);
  });

  it('is counted and subject to injected faults like every API call', async () => {
    const calls = sim.counters()['gateway/connections/open'];
    sim.injectFault({ endpoints: ['gateway/connections/open'], kind: 'busy', count: 1 });
    const res = await http(sim.apiUrl, 'POST', OPEN, { json: { clientId: appA.appKey, clientSecret: appA.appSecret, subscriptions }, headers: JSON_HEADERS });
    expect(res.status).toBe(500);
    expect(res.body.code).toBe('unknownError');
    expect(sim.counters()['gateway/connections/open']).toBe(calls + 1);
  });
});

describe('the ticket', () => {
  it('opens one connection, and only one', async () => {
    const { endpoint, ticket } = await register();
    const url = `${endpoint}?ticket=${encodeURIComponent(ticket)}`;
    const socket = await openSocket(url);
    await waitFor(() => sim.stream.connections().some((c) => c.appKey === appA.appKey), 'the connection to be listed');
    expect(await handshake(url)).toBe(401);
    socket.terminate();
    await waitFor(() => sim.stream.connections().length === 0, 'the connection to be gone');
    // Not even after the first connection closed.
    expect(await handshake(url)).toBe(401);
  });

  it('expires after 90 seconds of the simulator clock', async () => {
    const fresh = await register();
    const stale = await register();
    sim.advanceClock(89_000);
    expect(await handshake(`${fresh.endpoint}?ticket=${fresh.ticket}`)).toBe(101);
    sim.advanceClock(1_000);
    expect(await handshake(`${stale.endpoint}?ticket=${stale.ticket}`)).toBe(401);
  });

  it('is required, must be one the simulator issued, and only /connect upgrades', async () => {
    const { endpoint, ticket } = await register();
    const rejected = sim.stream.counters().ticketsRejected;
    expect(await handshake(endpoint)).toBe(400);
    expect(await handshake(`${endpoint}?ticket=00000000-0000-0000-0000-000000000000`)).toBe(401);
    expect(await handshake(`${sim.url.replace(/^http/, 'ws')}/elsewhere?ticket=${ticket}`)).toBe(404);
    expect(sim.stream.counters().ticketsRejected).toBe(rejected + 2);
    // The ticket was not used up by the refused attempts.
    expect(await handshake(`${endpoint}?ticket=${ticket}`)).toBe(101);
  });
});
