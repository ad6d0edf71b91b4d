/**
 * Which reverse proxies the host believes about the client (X-Forwarded-For) and the scheme
 * (X-Forwarded-Proto): a hop count or the proxies' own addresses. Believing every hop (fastify's
 * `trustProxy: true`) names the client by the leftmost X-Forwarded-For entry, which the client
 * writes itself: rotating it bought a fresh per-address budget on every request.
 *
 *   --trust-proxy              one hop: the nearest proxy appends the real client address
 *   --trust-proxy 2            two proxies in a row (a CDN in front of a load balancer)
 *   --trust-proxy 10.0.0.0/8,192.168.0.0/16   every hop from these addresses (also loopback,
 *                              linklocal, uniquelocal)
 *
 * A hop count believes whoever connects directly: when the host is also reachable without the
 * proxy, name the proxies' addresses instead.
 */
import * as net from 'net';

/** false: no proxy; a number of hops; or the proxies' addresses and networks. */
export type TrustProxySetting = false | number | readonly string[];

/** What `createHost({ trustProxy })` accepts: true is one hop; a string is parsed like the CLI flag. */
export type TrustProxyOption = boolean | number | string | readonly string[];

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const MAX_HOPS = 16;

/** The setting for an option or a `--trust-proxy` value; throws an Error naming the bad part. */
export function parseTrustProxy(value: TrustProxyOption | undefined): TrustProxySetting {
  if (value === undefined || value === false) return false;
  if (value === true) return 1;
  if (typeof value === 'number') return hops(value);
  const parts = (typeof value === 'string' ? value.split(',') : [...value]).map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length === 1 && /^\d+$/.test(parts[0])) return hops(Number(parts[0]));
  if (parts.length === 0) throw new Error('--trust-proxy needs a hop count or the proxies\' addresses (e.g. 1, or 10.0.0.0/8,192.168.0.0/16)');
  for (const part of parts) {
    if (!isAddressOrNetwork(part)) {
      throw new Error(`--trust-proxy: "${part}" is neither a hop count nor an address or network (e.g. 10.0.0.0/8, ::1, loopback)`);
    }
  }
  return Object.freeze(parts);
}

function hops(count: number): number {
  if (!Number.isInteger(count) || count < 0 || count > MAX_HOPS) throw new Error(`--trust-proxy: a hop count is a whole number from 0 to ${MAX_HOPS} (got ${count})`);
  return count;
}

function isAddressOrNetwork(part: string): boolean {
  if (NAMED_RANGES.has(part)) return true;
  const slash = part.indexOf('/');
  const address = slash < 0 ? part : part.slice(0, slash);
  const family = net.isIP(address);
  if (family === 0) return false;
  if (slash < 0) return true;
  const prefix = part.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefix)) return false;
  // /0 (everyone) is refused by proxy-addr too: believing every address is believing the client.
  return Number(prefix) >= 1 && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * fastify's `trustProxy` for a setting. A hop count becomes a function of the hop's position
 * (fastify 5 refuses to trust any hop for a bare number); addresses go to fastify as a list.
 */
export function fastifyTrustProxy(setting: TrustProxySetting): false | string[] | ((address: string, hop: number) => boolean) {
  if (setting === false || setting === 0) return false;
  if (typeof setting === 'number') return (_address: string, hop: number) => hop < setting;
  return [...setting];
}

/** For the start-up line: what the host believes. */
export function describeTrustProxy(setting: TrustProxySetting): string {
  if (setting === false || setting === 0) return 'no proxy trusted (X-Forwarded-* ignored)';
  if (typeof setting === 'number') return `${setting} proxy hop${setting === 1 ? '' : 's'} trusted`;
  return `proxies trusted at ${setting.join(', ')}`;
}
