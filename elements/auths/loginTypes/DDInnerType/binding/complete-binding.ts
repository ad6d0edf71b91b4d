/**
 * completeBinding: the second half of a bindExisting login. The person holding a bindTicket proves a
 * local account, with its password or with a code sent to its phone, and the DingTalk member is bound
 * to it.
 *
 *   {username, password}          -> LOGGED_IN
 *   {phone}                       -> CODE_SENT (a code goes to the phone when one local user has it)
 *   {phone, verificationCode}     -> LOGGED_IN
 *
 * In this order, each refusal before the proof is looked at:
 *   1. the ticket: live, of this instance, and presented by the client it was issued to  BIND_TICKET_INVALID
 *   2. the failure counters of the account (or phone), the member and the address        RATE_LIMITED
 *   3. one of the ticket's proof attempts                                                 BIND_TICKET_INVALID
 *   4. the proof, then whether the account may be linked                                   CREDENTIALS_INVALID
 *
 * Answers never tell more than "proven" or not: a wrong password, an unknown username, a wrong code,
 * and also a right password for an account that is disabled or already linked to another member of
 * the corp, all answer the same CREDENTIALS_INVALID (the reason goes to the log for operators). An
 * answer that differed after a right password would confirm the password.
 */
import {
  JitError, isJitError, accountKey, addressKeys, phoneKey, tooManyActions, withProofLimits, type ActionLimit,
  type CounterKey, normalizePhone, type LocalUser, LOGIN_ERRORS,
} from '../../../../../runtime';
import { openDingTalkSession, type CompleteBindingResult } from '../login-result';
import type { LoginTrace } from '../login-log';
import {
  bindTicketInvalid,
  consumeBindTicket,
  isTicketHolder,
  peekBindTicket,
  takeCodeSend,
  takeProofAttempt,
  type BindTicket,
} from './bind-ticket';
import { CODES_PER_MEMBER, CODES_PER_MEMBER_SCOPE, CODES_PER_PHONE, CODES_PER_PHONE_SCOPE, memberActionKey, memberFailureKey } from './bind-limits';
import type { BindingContext } from '../../../../../dingtalk/binding/binding-context';
import { bindProvenUser } from '../../../../../dingtalk/binding/resolve-binding';
import { isVerificationCodeValid, verificationCodeFor } from './verification-code';

export type BindingProof = { username: string; password: string } | { phone: string; verificationCode?: string };

export interface CompleteBindingOptions {
  /**
   * The key the ticket is bound to, when the caller is not the browser it was issued to through a
   * host: the `clientKey` of a BIND_REQUIRED result issued outside any browser, or the caller's own
   * browser key. Not reachable over HTTP (the host passes functionList arguments only).
   */
  clientKey?: string;
}

/** The one answer to every proof that does not lead to a binding. */
export function proofRefused(): JitError {
  return LOGIN_ERRORS.error('CREDENTIALS_INVALID', 'Those details do not prove a local account that can be linked; check them and try again');
}

export async function completeBinding(
  ctx: BindingContext,
  bindTicket: string,
  proof: unknown,
  trace: LoginTrace = {},
  options: CompleteBindingOptions = {},
): Promise<CompleteBindingResult> {
  const parsed = readProof(proof);
  const ticket = await peekBindTicket(ctx, bindTicket);
  if (!ticket) throw bindTicketInvalid();
  trace.dingtalkUserId = ticket.payload.userid;
  if (!isTicketHolder(ticket, options.clientKey)) {
    // The lure of issue #16: a ticket forwarded to someone else. Refused as if unknown, nothing spent.
    ctx.app.logger.warn('bind ticket presented by another client than the one it was issued to; refused', { instance: ctx.instance, dingtalkUserId: ticket.payload.userid });
    throw bindTicketInvalid();
  }

  if ('phone' in parsed && parsed.verificationCode === undefined) {
    await sendCode(ctx, ticket, parsed.phone);
    return { success: false, status: 'CODE_SENT', expiresAt: ticket.expiresAt.toISOString() };
  }

  const keys = [
    'password' in parsed ? accountKey(ctx.app, parsed.username) : phoneKey(ctx.app, parsed.phone),
    memberFailureKey(ctx, ticket.payload.userid),
    ...addressKeys(ctx.app),
  ];
  const user = await withProofLimits(ctx.app, keys, async () => {
    await takeProofAttempt(ctx, ticket);
    const proven = 'password' in parsed ? await ctx.app.users.verifyPassword(parsed.username, parsed.password) : await userOfPhone(ctx, ticket, parsed.phone, parsed.verificationCode!);
    if (!proven) return null;
    const reason = await whyNotLinkable(ctx, proven);
    if (reason) {
      ctx.app.logger.info('bind proof held but the account cannot be linked; answered as a failed proof', { instance: ctx.instance, userId: proven.id, reason });
      return null;
    }
    return proven;
  });
  if (!user) throw proofRefused();

  await consumeBindTicket(ctx, ticket);
  const { member } = ticket.payload;
  const bound = await bindProvenUser(ctx, member, user).catch((err: unknown) => {
    // Another member took the account between the check and the binding: the same one answer.
    if (isJitError(err, 'BINDING_REJECTED')) throw proofRefused();
    throw err;
  });
  return openDingTalkSession(ctx.app, bound.user, { kind: 'existing', bindingId: bound.bindingId }, { corpId: ctx.corpId, userId: member.userid, unionId: member.unionid ?? null });
}

/** Why a proven account cannot take this member, or null: disabled, or already linked to another member of the corp. */
async function whyNotLinkable(ctx: BindingContext, user: LocalUser): Promise<string | null> {
  if (user.disabled) return 'USER_DISABLED';
  if ((await ctx.model.findByUserId(user.id, ctx.corpId)).length > 0) return 'ALREADY_BOUND_IN_CORP';
  return null;
}

/** The one local user with that phone, when the code is right; else null. */
async function userOfPhone(ctx: BindingContext, ticket: BindTicket, phone: string, code: string): Promise<LocalUser | null> {
  if (!isVerificationCodeValid(ticket, phone, code)) return null;
  const users = await ctx.app.users.findByAttribute('phone', phone);
  return users.length === 1 ? users[0] : null;
}

/**
 * Answers CODE_SENT whether or not a local user has the phone (the answer must not tell), and sends
 * only when exactly one has it (no texts to strangers). Everything the answer depends on happens on
 * the request path for every phone alike: the sender is ready, the limits are taken (every send
 * counts, per ticket, per phone and per member), the phone is looked up. The send itself starts
 * after that and is not waited for, so how long a text takes does not show in the answer.
 */
async function sendCode(ctx: BindingContext, ticket: BindTicket, phone: string): Promise<void> {
  const sender = ctx.app.verificationSender;
  sender.assertReady?.();
  await takeCodeSend(ctx, ticket);
  const limits: Array<[CounterKey, ActionLimit]> = [
    [{ scope: CODES_PER_PHONE_SCOPE, subject: normalizePhone(phone) ?? phone.trim() }, CODES_PER_PHONE],
    [memberActionKey(CODES_PER_MEMBER_SCOPE, ctx, ticket.payload.userid), CODES_PER_MEMBER],
  ];
  for (const [key, limit] of limits) {
    const taken = await ctx.app.failures.takeAction(key, limit);
    if (!taken.allowed) throw tooManyActions('Too many verification codes were sent.', taken.retryAfterSeconds);
  }
  const users = await ctx.app.users.findByAttribute('phone', phone);
  if (users.length !== 1) {
    ctx.app.logger.info('bind code not sent: no single local account has that phone', { instance: ctx.instance, accounts: users.length });
    return;
  }
  const code = verificationCodeFor(ticket, phone);
  const who = { instance: ctx.instance, userId: users[0].id, dingtalkUserId: ticket.payload.userid };
  Promise.resolve()
    .then(() => sender.send(phone, code, { instance: ctx.instance }))
    .then(
      () => ctx.app.logger.info('bind code sent', who),
      // Never the phone or the code: only who and why.
      (err: unknown) => ctx.app.logger.error('bind code could not be sent', { ...who, reason: err instanceof Error ? err.message : String(err) }),
    );
}

function readProof(proof: unknown): BindingProof {
  const { username, password, phone, verificationCode } = (proof && typeof proof === 'object' ? proof : {}) as Record<string, unknown>;
  if (isFilled(username) && isFilled(password)) return { username, password };
  if (isFilled(phone) && username === undefined && (verificationCode === undefined || isFilled(verificationCode))) return { phone, verificationCode };
  throw new JitError('BAD_REQUEST', 'proof must be {"username", "password"}, {"phone"} to get a code, or {"phone", "verificationCode"}');
}

function isFilled(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}
