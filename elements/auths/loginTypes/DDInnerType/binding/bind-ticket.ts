/**
 * The bindTicket of a bindExisting login: a single-use, expiring ticket (TicketStore) bound to the
 * instance, holding the member record the login read, so completeBinding needs no second DingTalk call.
 *
 * Attempts are capped per ticket: every proof attempt first claims one of MAX_PROOF_ATTEMPTS slots
 * (TicketStore.claimOnce, shared by every host), so guessing a password or a 6-digit code gets a few
 * tries, not a million; when the slots run out the ticket is burnt and the person logs in again.
 */
import { createHash, randomBytes } from 'crypto';
import { JitError } from '../../../../../runtime/errors';
import type { Ticket } from '../../../../../runtime/auth/types';
import type { DDMember } from '../../../../../dingtalk/client/types';
import type { BindingContext } from '../../../../../dingtalk/binding/binding-context';

export const BIND_TICKET_KIND = 'dd-bind';
export const BIND_TICKET_TTL_SECONDS = 10 * 60;
/** Proof attempts (password or code, right or wrong) one ticket allows. */
export const MAX_PROOF_ATTEMPTS = 5;
/** Verification codes one ticket may send (to bound an attacker's SMS spending). */
export const MAX_CODE_SENDS = 3;

export interface BindTicketPayload extends Record<string, unknown> {
  corpId: string;
  userid: string;
  unionId: string | null;
  /** The member record read at login: the binding's profile comes from it. */
  member: DDMember;
  /** Random per ticket; the key of its verification codes (see verification-code.ts). */
  codeKey: string;
}

export type BindTicket = Ticket<BindTicketPayload>;

export async function issueBindTicket(ctx: BindingContext, member: DDMember): Promise<BindTicket> {
  const payload: BindTicketPayload = {
    corpId: ctx.corpId,
    userid: member.userid,
    unionId: member.unionid ?? null,
    member,
    codeKey: randomBytes(32).toString('base64url'),
  };
  return ctx.app.tickets.issue(BIND_TICKET_KIND, ctx.instance, payload, BIND_TICKET_TTL_SECONDS);
}

/** The live ticket of this instance, or null (unknown, expired, used, another instance's). */
export async function peekBindTicket(ctx: Pick<BindingContext, 'app' | 'instance'>, bindTicket: string): Promise<BindTicket | null> {
  if (typeof bindTicket !== 'string' || bindTicket === '' || bindTicket.length > 512) return null;
  return ctx.app.tickets.peek<BindTicketPayload>(BIND_TICKET_KIND, ctx.instance, bindTicket);
}

/** Consumes the ticket for good; BIND_TICKET_INVALID when someone else consumed it first. */
export async function consumeBindTicket(ctx: BindingContext, ticket: BindTicket): Promise<void> {
  const consumed = await ctx.app.tickets.consume(BIND_TICKET_KIND, ctx.instance, ticket.id);
  if (!consumed) throw bindTicketInvalid();
}

/** Takes one proof attempt; when none is left the ticket is burnt and BIND_TICKET_INVALID thrown. */
export async function takeProofAttempt(ctx: BindingContext, ticket: BindTicket): Promise<void> {
  if (await claimSlot(ctx, ticket, 'dd-bind-attempt', MAX_PROOF_ATTEMPTS)) return;
  await ctx.app.tickets.consume(BIND_TICKET_KIND, ctx.instance, ticket.id);
  throw new JitError('BIND_TICKET_INVALID', 'Too many attempts with this bind ticket; log in with DingTalk again');
}

/** Takes one code send; RATE_LIMITED when the ticket has sent its share. */
export async function takeCodeSend(ctx: BindingContext, ticket: BindTicket): Promise<void> {
  if (await claimSlot(ctx, ticket, 'dd-bind-code-send', MAX_CODE_SENDS)) return;
  throw new JitError('RATE_LIMITED', 'Too many verification codes for this bind ticket; use one already sent or log in again');
}

export function bindTicketInvalid(): JitError {
  return new JitError('BIND_TICKET_INVALID', 'The bind ticket is expired, used or unknown; log in with DingTalk again');
}

/** Claims the first free of `slots` numbered markers for this ticket; false when all are taken. */
async function claimSlot(ctx: BindingContext, ticket: BindTicket, kind: string, slots: number): Promise<boolean> {
  // The raw ticket id is a bearer secret: the markers carry only its digest.
  const digest = createHash('sha256').update(ticket.id).digest('base64url');
  for (let slot = 1; slot <= slots; slot++) {
    if (await ctx.app.tickets.claimOnce(kind, `${digest}:${slot}`, ticket.expiresAt)) return true;
  }
  return false;
}
