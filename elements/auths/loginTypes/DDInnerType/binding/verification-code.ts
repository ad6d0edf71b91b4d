/**
 * The phone proof of bindExisting: a 6-digit code sent through the app's VerificationSender.
 *
 * The code is derived, not stored: HMAC(bind ticket's random codeKey, phone). So it needs no row of
 * its own, is the same on every host, dies with the ticket (single use and expiry come from the
 * ticket), and a resend for the same phone repeats the same code instead of invalidating the first.
 * Guessing is bounded by the ticket's proof attempts (bind-ticket.ts).
 */
import { createHmac, timingSafeEqual } from 'crypto';
import { normalizePhone } from '../../../../../runtime';
import type { BindTicket } from './bind-ticket';

const CODE_DIGITS = 6;

export function verificationCodeFor(ticket: BindTicket, phone: string): string {
  const mac = createHmac('sha256', ticket.payload.codeKey).update(`bind-code:${normalizePhone(phone) ?? ''}`).digest();
  return String(mac.readUInt32BE(0) % 10 ** CODE_DIGITS).padStart(CODE_DIGITS, '0');
}

export function isVerificationCodeValid(ticket: BindTicket, phone: string, code: string): boolean {
  const expected = Buffer.from(verificationCodeFor(ticket, phone));
  const given = Buffer.from(code.trim());
  return expected.length === given.length && timingSafeEqual(expected, given);
}
