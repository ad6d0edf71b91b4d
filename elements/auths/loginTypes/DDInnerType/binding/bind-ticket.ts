/**
 * The bindTicket of a bindExisting login: a single-use, expiring ticket (TicketStore) bound to the
 * instance, holding the member record the login read, so completeBinding needs no second DingTalk call.
 *
 * Bound to the client it was issued to (issue #16, the lure): the ticket row keeps the digest of the
 * caller's browser key, and completeBinding is refused from any other client. A member who forwards
 * the bind form to a colleague (a link, a screenshot of the ticket) cannot get the colleague's
 * account linked to their DingTalk account: the colleague's browser has another key. A caller with no
 * browser key gets a fresh key handed back with the ticket (runtime/auth/client-binding.ts).
 * Each member is issued at most BIND_TICKETS_PER_MEMBER tickets an hour (bind-limits.ts).
 *
 * Attempts are capped per ticket: every proof attempt first claims one of MAX_PROOF_ATTEMPTS slots
 * (TicketStore.claimOnce, shared by every host), so guessing a password or a 6-digit code gets a few
 * tries, not a million; when the slots run out the ticket is burnt and the person logs in again.
 */
import { createHash, randomBytes } from 'crypto';
import { JitError, issueClientBinding, isSameClient, presentedClientKey, tooManyActions, type Ticket, LOGIN_ERRORS } from '../../../../../runtime';
import type { DDMember } from '../../../../../dingtalk/client/types';
import type { BindingContext } from '../../../../../dingtalk/binding/binding-context';
import { BIND_TICKETS_PER_MEMBER, BIND_TICKETS_SCOPE, memberActionKey } from './bind-limits';

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
  /** Digest of the key of the client the ticket was issued to (runtime/auth/client-binding.ts). */
  client: string;
}

export type BindTicket = Ticket<BindTicketPayload>;

/**
 * Issues a ticket for the member, bound to the caller's client: `clientKey` is set when the caller
 * had no browser key and must present this one. RATE_LIMITED past the member's tickets per hour.
 */
export async function issueBindTicket(ctx: BindingContext, member: DDMember): Promise<{ ticket: BindTicket; clientKey?: string }> {
  const taken = await ctx.app.failures.takeAction(memberActionKey(BIND_TICKETS_SCOPE, ctx, member.userid), BIND_TICKETS_PER_MEMBER);
  if (!taken.allowed) throw tooManyActions('This DingTalk account has started linking too many times.', taken.retryAfterSeconds);
  const binding = issueClientBinding();
  const payload: BindTicketPayload = {
    corpId: ctx.corpId,
    userid: member.userid,
    unionId: member.unionid ?? null,
    member,
    codeKey: randomBytes(32).toString('base64url'),
    client: binding.digest,
  };
  const ticket = await ctx.app.tickets.issue(BIND_TICKET_KIND, ctx.instance, payload, BIND_TICKET_TTL_SECONDS);
  return binding.handedBack ? { ticket, clientKey: binding.handedBack } : { ticket };
}

/** True when the caller is the client the ticket was issued to (its browser key, or the explicit `clientKey`). */
export function isTicketHolder(ticket: BindTicket, clientKey?: string): boolean {
  // A ticket from before tickets were bound has no digest: it binds nothing now (it expires in minutes).
  if (typeof ticket.payload.client !== 'string' || ticket.payload.client === '') return false;
  return isSameClient(ticket.payload.client, presentedClientKey(clientKey));
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
  throw LOGIN_ERRORS.error('BIND_TICKET_INVALID', 'Too many attempts with this bind ticket; log in with DingTalk again');
}

/** Takes one code send; RATE_LIMITED when the ticket has sent its share. */
export async function takeCodeSend(ctx: BindingContext, ticket: BindTicket): Promise<void> {
  if (await claimSlot(ctx, ticket, 'dd-bind-code-send', MAX_CODE_SENDS)) return;
  throw new JitError('RATE_LIMITED', 'Too many verification codes for this bind ticket; use one already sent or log in again');
}

export function bindTicketInvalid(): JitError {
  return LOGIN_ERRORS.error('BIND_TICKET_INVALID', 'The bind ticket is expired, used or unknown; log in with DingTalk again');
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
