/**
 * Which proxies the host believes (`--trust-proxy`), and the per-address count behind them.
 * The attack (#20): behind a proxy, a client writes its own X-Forwarded-For; a host believing every
 * hop named the client by that leftmost entry, so rotating it bought a fresh budget per request.
 * Believing one hop names the client by the entry the proxy itself appended.
 */
import { addressKey, normalizeAddress } from '../../runtime/http/client-address';
import { fastifyTrustProxy, parseTrustProxy } from '../../runtime/http/proxy-trust';
import { fn, http, startTestHost, type TestHost } from './helpers';

const PROBE = 'auths.loginTypes.probe';

describe('parsing --trust-proxy', () => {
  test.each([
    [true, 1],
    [undefined, false],
    [false, false],
    ['1', 1],
    [' 2 ', 2],
    [3, 3],
    ['10.0.0.0/8,192.168.0.0/16', ['10.0.0.0/8', '192.168.0.0/16']],
    ['loopback, fd00::/8', ['loopback', 'fd00::/8']],
    [['172.16.0.1'], ['172.16.0.1']],
  ])('%p -> %p', (value, expected) => {
    expect(parseTrustProxy(value as never)).toEqual(expected);
  });

  test.each(['yes', '10.0.0.0/33', '10.0.0/8', '-1', '1.5', '99', 'fd00::/129', ',', '0.0.0.0/0'])('%p is refused with a message naming it', (value) => {
    expect(() => parseTrustProxy(value)).toThrow(/--trust-proxy/);
  });

  test('a hop count trusts exactly that many hops from the host', () => {
    const trust = fastifyTrustProxy(2) as (address: string, hop: number) => boolean;
    expect([0, 1, 2].map((hop) => trust('203.0.113.1', hop))).toEqual([true, true, false]);
    expect(fastifyTrustProxy(false)).toBe(false);
    expect(fastifyTrustProxy(0)).toBe(false);
  });
});

describe('the key a client address is counted under', () => {
  test.each([
    ['10.1.2.3', '10.1.2.3'],
    ['::ffff:10.1.2.3', '10.1.2.3'],
    ['2001:db8:1:2::a', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['2001:db8:1:2:3:4:1.2.3.4', '2001:db8:1:2::/64'],
  ])('%s -> %s', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });

  test('unknown and odd addresses still get a key', () => {
    expect(addressKey(undefined)).toBe('unknown');
    expect(normalizeAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
  });
});

describe('X-Forwarded-For rotation through a proxy', () => {
  const LIMIT = 5;
  let believeAll: TestHost;
  let oneHop: TestHost;

  beforeAll(async () => {
    believeAll = await startTestHost({ host: { trustProxy: '0.0.0.0/1,128.0.0.0/1', floodPerAddress: LIMIT } });
    oneHop = await startTestHost({ sim: believeAll.sim, host: { trustProxy: 1, floodPerAddress: LIMIT } });
  });
  afterAll(async () => {
    await oneHop?.close();
    await believeAll?.close();
  });

  /** What the proxy forwards: the client's own header, then the address the proxy saw. */
  const rotating = (h: TestHost, i: number, realClient = '198.51.100.7') =>
    http(h.url, 'POST', fn(PROBE, 'context'), { json: {}, headers: { 'x-forwarded-for': `203.0.113.${i}, ${realClient}` } });

  test('believing every hop (the old --trust-proxy): a rotated header is a new client each time, the limit never bites', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= LIMIT * 2; i++) statuses.push((await rotating(believeAll, i)).status);
    expect(statuses.filter((s) => s === 429)).toEqual([]);
  });

  test('one trusted hop: the client is the address the proxy appended, so rotating the header changes nothing', async () => {
    const first = await rotating(oneHop, 100);
    expect(first.body.data.clientAddress).toBe('198.51.100.7');
    const statuses = [first.status];
    for (let i = 1; i < LIMIT * 2; i++) statuses.push((await rotating(oneHop, i)).status);
    expect(statuses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(200));
    expect(statuses.slice(LIMIT)).toEqual(Array(LIMIT).fill(429));
    // Another real client behind the same proxy is not affected.
    expect((await rotating(oneHop, 1, '198.51.100.8')).status).toBe(200);
  });

  test('IPv6 clients are counted by their /64: new addresses in one /64 share a budget, the next /64 does not', async () => {
    const from = (address: string) => http(oneHop.url, 'POST', fn(PROBE, 'context'), { json: {}, headers: { 'x-forwarded-for': address } });
    const statuses: number[] = [];
    for (let i = 1; i <= LIMIT + 2; i++) statuses.push((await from(`2001:db8:aa:bb::${i.toString(16)}`)).status);
    expect(statuses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(200));
    expect(statuses.slice(LIMIT)).toEqual([429, 429]);
    const other = await from('2001:db8:aa:bc::1');
    expect(other.status).toBe(200);
    expect(other.body.data.clientAddress).toBe('2001:db8:aa:bc::1');
  });
});

test('two trusted hops: the client is the entry before the second proxy', async () => {
  const h = await startTestHost({ host: { trustProxy: 2 } });
  try {
    const res = await http(h.url, 'POST', fn(PROBE, 'context'), { json: {}, headers: { 'x-forwarded-for': '203.0.113.9, 198.51.100.20, 10.0.0.2' } });
    expect(res.body.data.clientAddress).toBe('198.51.100.20');
  } finally {
    await h.close();
  }
});

test('trusted proxies by address: a peer outside them is the client, whatever it forwards', async () => {
  const h = await startTestHost({ host: { trustProxy: ['10.0.0.0/8'] } });
  try {
    const res = await http(h.url, 'POST', fn(PROBE, 'context'), { json: {}, headers: { 'x-forwarded-for': '198.51.100.20' } });
    expect(res.body.data.clientAddress).toBe('127.0.0.1');
  } finally {
    await h.close();
  }
});
