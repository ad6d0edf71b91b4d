/**
 * The brute-force guard around a proof of a local account (a password, a verification code), shared
 * by every login Type: the failure counters of the keys involved (the account or phone tried, the
 * client address, and whatever the Type adds, e.g. a DingTalk member) are checked and counted
 * before the proof is looked at, and the attempt is taken back when it holds.
 *
 * A key that is backing off gets RATE_LIMITED with `details.retryAfter` (seconds; the host's Retry-After header), before the proof
 * is checked, for a right proof as for a wrong one, and for an account that does not exist as for
 * one that does (keys are what was typed): the refusal tells nothing about the password or the
 * account, and tells the person how long to wait. (CREDENTIALS_INVALID instead would hide nothing
 * more, and would make the owner of the account think their password wrong.)
 */
import { JitError } from '../errors';
import { currentRequestContext } from '../request-context';
import type { AuditLog } from '../audit/types';
import type { AppSettings } from '../settings';
import { addressSubject, type FailureCounterStore, type GuardedKey } from './failure-counters';
import { normalizePhone } from './phone';

/** Scopes of the counters every login Type shares. */
export const ACCOUNT_SCOPE = 'account';
export const PHONE_SCOPE = 'phone';
export const ADDRESS_SCOPE = 'address';

export interface ProofLimitsHost {
  failures: FailureCounterStore;
  settings: AppSettings;
  /** Where a refused proof is recorded (`account.locked`, repeats folded into one row). */
  audit?: Pick<AuditLog, 'tryRecord'>;
}

/** The key of a username as typed (whether or not such an account exists). */
export function accountKey(host: ProofLimitsHost, username: string): GuardedKey {
  return { scope: ACCOUNT_SCOPE, subject: username.trim(), limit: host.settings.limits.failures.perAccount };
}

/** The key of a phone as typed, normalised; a phone stands for the account that has it. */
export function phoneKey(host: ProofLimitsHost, phone: string): GuardedKey {
  return { scope: PHONE_SCOPE, subject: normalizePhone(phone) ?? phone.trim(), limit: host.settings.limits.failures.perAccount };
}

/**
 * The key of the caller's address (IPv6 by /64), when the call came through a host; none for a
 * library call. A success only takes its own attempt back: one address may be a whole office.
 */
export function addressKeys(host: ProofLimitsHost): GuardedKey[] {
  const address = currentRequestContext().clientAddress;
  if (typeof address !== 'string' || address.trim() === '') return [];
  return [{ scope: ADDRESS_SCOPE, subject: addressSubject(address), limit: host.settings.limits.failures.perAddress, onSuccess: 'undo' }];
}

/**
 * Runs `prove` under the keys' failure counters. `prove` resolves to what was proven, or null for a
 * failed proof (which stays counted). RATE_LIMITED, without calling `prove`, while a key backs off.
 * An error from `prove` (the server busy, the database down) takes the attempt back and is rethrown.
 */
export async function withProofLimits<T>(host: ProofLimitsHost, keys: GuardedKey[], prove: () => Promise<T | null>): Promise<T | null> {
  const decision = await host.failures.beginProof(keys);
  if (!decision.allowed) {
    // The account (or member, phone, address) is backing off: recorded for operators, repeats folded.
    const subject = decision.key.scope === ADDRESS_SCOPE ? { clientAddress: decision.key.subject } : {};
    await host.audit?.tryRecord({ type: 'account.locked', outcome: 'RATE_LIMITED', aggregate: true, ...subject, details: { scope: decision.key.scope, retryAfter: decision.retryAfterSeconds } });
    throw tooManyFailures(decision.retryAfterSeconds);
  }
  let proven: T | null;
  try {
    proven = await prove();
  } catch (err) {
    await decision.attempt.abandoned().catch(() => undefined);
    throw err;
  }
  if (proven !== null) await decision.attempt.succeeded();
  return proven;
}

export function tooManyFailures(retryAfterSeconds: number): JitError {
  return new JitError('RATE_LIMITED', `Too many failed attempts. Wait ${retryAfterSeconds} seconds, then try again.`, { retryAfter: retryAfterSeconds });
}

/** RATE_LIMITED for an action over its limit (a code sent, a ticket issued). */
export function tooManyActions(what: string, retryAfterSeconds: number): JitError {
  return new JitError('RATE_LIMITED', `${what} Wait ${retryAfterSeconds} seconds, then try again.`, { retryAfter: retryAfterSeconds });
}
