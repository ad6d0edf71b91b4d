/**
 * Who may use the admin routes (`/__sim/*`), which mint codes and edit the org: a caller presenting
 * the simulator's admin token (`Authorization: Bearer <token>`: another process, `connectSimulator`),
 * or a same-origin browser request to the simulator itself. No CORS header is ever sent, so no other
 * web page can read an answer; and a cross-site request (a form post, a fetch in no-cors mode) is
 * refused before it changes anything. The Host check keeps a DNS-rebinding page (evil.example
 * resolving to 127.0.0.1) from passing as same-origin.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export class AdminAccess {
  readonly token: string;
  private readonly tokenDigest: Buffer;
  private readonly selfHosts = new Set<string>();

  constructor(token?: string) {
    if (token !== undefined && !(typeof token === 'string' && token.length >= 16))
      throw new RangeError('adminToken: must be a string of at least 16 characters (omit it for a random one)');
    this.token = token ?? randomBytes(24).toString('base64url');
    this.tokenDigest = digest(this.token);
  }

  /** The Host values this simulator answers to as itself, once it listens. */
  listeningOn(host: string, port: number): void {
    const names = ['127.0.0.1', 'localhost', '[::1]', host.includes(':') && !host.startsWith('[') ? `[${host}]` : host];
    for (const name of names) if (name && name !== '0.0.0.0' && name !== '[::]') this.selfHosts.add(`${name}:${port}`.toLowerCase());
  }

  /** Undefined when the request may proceed, else why not. */
  refusal(req: IncomingMessage): string | undefined {
    const auth = req.headers.authorization;
    if (typeof auth === 'string' && /^Bearer\s+/i.test(auth)) {
      return timingSafeEqual(digest(auth.replace(/^Bearer\s+/i, '').trim()), this.tokenDigest) ? undefined : 'the admin token is wrong';
    }
    if (this.isSameOrigin(req)) return undefined;
    return 'the admin routes take the simulator\'s admin token (Authorization: Bearer <token>; `jit sim` prints it, `connectSimulator(url, { token })` sends it) or a same-origin request';
  }

  private isSameOrigin(req: IncomingMessage): boolean {
    const host = req.headers.host?.toLowerCase();
    if (!host || !this.selfHosts.has(host)) return false;
    const origin = req.headers.origin;
    if (origin !== undefined) return origin.toLowerCase() === `http://${host}`;
    const site = req.headers['sec-fetch-site'];
    const method = (req.method ?? 'GET').toUpperCase();
    // No Origin: a same-origin GET from a page of the simulator, or the developer typing the URL.
    return site === 'same-origin' || (site === 'none' && (method === 'GET' || method === 'HEAD'));
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
