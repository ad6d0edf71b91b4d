/**
 * Client addresses as the host counts them. IPv4 clients arriving over an IPv6 socket
 * (`::ffff:10.1.2.3`) are their IPv4 address; an IPv6 client is counted by its /64, the block one
 * subscriber or one office gets: counting single IPv6 addresses would give anyone with a /64
 * (every home router) 2^64 fresh budgets.
 */
import * as net from 'net';

/** The address as people read it: IPv4-mapped IPv6 addresses become IPv4. */
export function normalizeAddress(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? mapped[1] : address;
}

/** The key per-address limits count under: the IPv4 address, or the IPv6 /64 (`2001:db8:1:2::/64`). */
export function addressKey(address: string | undefined): string {
  const normal = normalizeAddress(address);
  if (!normal) return 'unknown';
  if (net.isIPv6(normal)) {
    const groups = expandIPv6(normal);
    return groups ? `${groups.slice(0, 4).join(':')}::/64` : normal;
  }
  return normal;
}

/** The eight 16-bit groups of an IPv6 address (lower-case, no leading zeros), or null. */
function expandIPv6(address: string): string[] | null {
  let text = address.split('%')[0].toLowerCase();
  // A trailing dotted IPv4 part is two groups.
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    text = text.slice(0, v4.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => parseInt(g, 16).toString(16));
}
