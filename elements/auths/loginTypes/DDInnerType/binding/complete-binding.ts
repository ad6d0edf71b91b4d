/**
 * completeBinding: the second half of a bindExisting login. The person holding a bindTicket proves a
 * local account, with its password or with a code sent to its phone, and the DingTalk member is bound
 * to it. Answers never tell whether a username or phone exists: every failed proof is the same
 * CREDENTIALS_INVALID.
 *
 *   {username, password}          -> LOGGED_IN
 *   {phone}                       -> CODE_SENT (a code goes to the phone when one local user has it)
 *   {phone, verificationCode}     -> LOGGED_IN
 */
import { JitError } from '../../../../../runtime/errors';
import type { LocalUser } from '../../../../../runtime/auth/types';
import { assertUserEnabled, openDingTalkSession, type CompleteBindingResult } from '../login-result';
import type { LoginTrace } from '../login-log';
import {
  bindTicketInvalid,
  consumeBindTicket,
  peekBindTicket,
  takeCodeSend,
  takeProofAttempt,
  type BindTicket,
} from './bind-ticket';
import type { BindingContext } from '../../../../../dingtalk/binding/binding-context';
import { assertUserFreeInCorp, bindProvenUser } from '../../../../../dingtalk/binding/resolve-binding';
import { isVerificationCodeValid, verificationCodeFor } from './verification-code';

export type BindingProof = { username: string; password: string } | { phone: string; verificationCode?: string };

export async function completeBinding(ctx: BindingContext, bindTicket: string, proof: unknown, trace: LoginTrace = {}): Promise<CompleteBindingResult> {
  const parsed = readProof(proof);
  const ticket = await peekBindTicket(ctx, bindTicket);
  if (!ticket) throw bindTicketInvalid();
  trace.dingtalkUserId = ticket.payload.userid;

  if ('phone' in parsed && parsed.verificationCode === undefined) {
    await sendCode(ctx, ticket, parsed.phone);
    return { success: false, status: 'CODE_SENT', expiresAt: ticket.expiresAt.toISOString() };
  }

  await takeProofAttempt(ctx, ticket);
  const user = 'password' in parsed ? await ctx.app.users.verifyPassword(parsed.username, parsed.password) : await userOfPhone(ctx, ticket, parsed.phone, parsed.verificationCode!);
  if (!user) throw new JitError('CREDENTIALS_INVALID', 'Those credentials do not prove a local account');
  // Checked before the ticket is spent, so the person can still prove another account.
  assertUserEnabled(user);
  await assertUserFreeInCorp(ctx, user);

  await consumeBindTicket(ctx, ticket);
  const { member } = ticket.payload;
  const bound = await bindProvenUser(ctx, member, user);
  return openDingTalkSession(ctx.app, bound.user, 'existing', { corpId: ctx.corpId, userId: member.userid, unionId: member.unionid ?? null });
}

/** The one enabled local user with that phone, when the code is right; else null. */
async function userOfPhone(ctx: BindingContext, ticket: BindTicket, phone: string, code: string): Promise<LocalUser | null> {
  if (!isVerificationCodeValid(ticket, phone, code)) return null;
  const users = await ctx.app.users.findByAttribute('phone', phone);
  return users.length === 1 ? users[0] : null;
}

/**
 * Sends the code only when exactly one local user has the phone (no SMS to strangers), but answers
 * CODE_SENT either way, so the answer does not reveal whether the phone belongs to an account.
 */
async function sendCode(ctx: BindingContext, ticket: BindTicket, phone: string): Promise<void> {
  await takeCodeSend(ctx, ticket);
  const users = await ctx.app.users.findByAttribute('phone', phone);
  if (users.length !== 1) {
    ctx.app.logger.info('bind code not sent: no single local account has that phone', { instance: ctx.instance, accounts: users.length });
    return;
  }
  await ctx.app.verificationSender.send(phone, verificationCodeFor(ticket, phone), { instance: ctx.instance });
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
