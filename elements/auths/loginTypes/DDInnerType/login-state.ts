/**
 * The QR login `state`: issued statelessly and synchronously by getLoginConfig(), checked once by
 * the QR login. Format `<base64url payload>.<base64url HMAC-SHA256>`, payload
 * `{instance, nonce, exp, client?}`.
 *
 * The HMAC key is derived from the instance's appSecret, so every host running the same config
 * accepts a state any of them issued; single use comes from `tickets.claimOnce` on the nonce, which
 * the hosts share through the database.
 *
 * Bound to the browser that asked for it (login CSRF): `client` is the digest of the caller's
 * browser key (runtime/auth/client-binding.ts), and the state is accepted only from the same key.
 * Someone who starts a sign-in in their own browser and gets another person's browser to finish it
 * (a link to /login/callback with their code and state, or a forged frame message) signs nobody in.
 * A state issued outside any browser (a library call without a key) carries no `client` and is
 * accepted only where there is no key either: never from a browser.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'crypto';
import { JitError, clientKeyDigest, isSameClient, presentedClientKey, type TicketStore, LOGIN_ERRORS } from '../../../../runtime';

/** How long a QR frame may sit on screen before its state is refused. */
export const LOGIN_STATE_TTL_MS = 5 * 60 * 1000;
const KEY_LABEL = 'jit-login-state-v1';
const CLAIM_KIND = 'login-state';

interface StatePayload {
  instance: string;
  nonce: string;
  exp: number;
  /** Digest of the browser key of the client it was issued to; absent: issued outside any browser. */
  client?: string;
}

function stateKey(appSecret: string): Buffer {
  return createHmac('sha256', appSecret).update(KEY_LABEL).digest();
}

function sign(body: string, appSecret: string): string {
  return createHmac('sha256', stateKey(appSecret)).update(body).digest('base64url');
}

/** A fresh state for one QR frame of `instance`, bound to the caller's browser key (the request's, or `clientKey`). */
export function issueLoginState(instance: string, appSecret: string, now = Date.now(), clientKey?: string): string {
  const key = presentedClientKey(clientKey);
  const payload: StatePayload = { instance, nonce: randomBytes(16).toString('base64url'), exp: now + LOGIN_STATE_TTL_MS, ...(key ? { client: clientKeyDigest(key) } : {}) };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${sign(body, appSecret)}`;
}

/**
 * Accepts the state once: throws STATE_INVALID when it is missing, malformed, forged (bad
 * signature, or signed with another instance's secret), for another instance, expired, issued to
 * another browser, or already used. A refusal spends nothing. `clientKey`: the caller's key when
 * not the request's browser key.
 */
export async function consumeLoginState(state: unknown, instance: string, appSecret: string, tickets: TicketStore, clientKey?: string): Promise<void> {
  const payload = readSignedPayload(state, appSecret);
  if (!payload) throw stateInvalid('the login state is missing or was not issued by this server');
  if (payload.instance !== instance) throw stateInvalid('the login state was issued for another login');
  if (!(payload.exp > Date.now())) throw stateInvalid('the login state has expired; reload the login page');
  if (!isSameClient(payload.client, presentedClientKey(clientKey))) {
    throw stateInvalid('the login state was issued to another browser; start signing in again from this one', { reason: 'OTHER_CLIENT' });
  }
  const first = await tickets.claimOnce(CLAIM_KIND, payload.nonce, new Date(payload.exp));
  if (!first) throw stateInvalid('the login state was already used; reload the login page');
}

function readSignedPayload(state: unknown, appSecret: string): StatePayload | null {
  if (typeof state !== 'string' || state.length > 1024) return null;
  const [body, signature, extra] = state.split('.');
  if (!body || !signature || extra !== undefined) return null;
  const expected = Buffer.from(sign(body, appSecret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<StatePayload>;
    if (typeof payload.instance !== 'string' || typeof payload.nonce !== 'string' || typeof payload.exp !== 'number') return null;
    if (payload.client !== undefined && typeof payload.client !== 'string') return null;
    return payload as StatePayload;
  } catch {
    return null;
  }
}

function stateInvalid(message: string, details: Record<string, unknown> = {}): JitError {
  return LOGIN_ERRORS.error('STATE_INVALID', message, details);
}
