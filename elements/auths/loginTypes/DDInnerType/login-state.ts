/**
 * The QR login `state`: issued statelessly and synchronously by getLoginConfig(), checked once by
 * the QR login. Format `<base64url payload>.<base64url HMAC-SHA256>`, payload `{instance, nonce, exp}`.
 *
 * The HMAC key is derived from the instance's appSecret, so every host running the same config
 * accepts a state any of them issued; single use comes from `tickets.claimOnce` on the nonce, which
 * the hosts share through the database.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'crypto';
import { JitError } from '../../../../runtime/errors';
import type { TicketStore } from '../../../../runtime/auth/types';

/** How long a QR frame may sit on screen before its state is refused. */
export const LOGIN_STATE_TTL_MS = 5 * 60 * 1000;
const KEY_LABEL = 'jit-login-state-v1';
const CLAIM_KIND = 'login-state';

interface StatePayload {
  instance: string;
  nonce: string;
  exp: number;
}

function stateKey(appSecret: string): Buffer {
  return createHmac('sha256', appSecret).update(KEY_LABEL).digest();
}

function sign(body: string, appSecret: string): string {
  return createHmac('sha256', stateKey(appSecret)).update(body).digest('base64url');
}

/** A fresh state for one QR frame of `instance`. */
export function issueLoginState(instance: string, appSecret: string, now = Date.now()): string {
  const payload: StatePayload = { instance, nonce: randomBytes(16).toString('base64url'), exp: now + LOGIN_STATE_TTL_MS };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${sign(body, appSecret)}`;
}

/**
 * Accepts the state once: throws STATE_INVALID when it is missing, malformed, forged (bad
 * signature, or signed with another instance's secret), for another instance, expired, or already used.
 */
export async function consumeLoginState(state: unknown, instance: string, appSecret: string, tickets: TicketStore): Promise<void> {
  const payload = readSignedPayload(state, appSecret);
  if (!payload) throw stateInvalid('the login state is missing or was not issued by this server');
  if (payload.instance !== instance) throw stateInvalid('the login state was issued for another login');
  if (!(payload.exp > Date.now())) throw stateInvalid('the login state has expired; reload the login page');
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
    return payload as StatePayload;
  } catch {
    return null;
  }
}

function stateInvalid(message: string): JitError {
  return new JitError('STATE_INVALID', message);
}
