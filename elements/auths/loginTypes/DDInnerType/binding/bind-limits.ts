/**
 * The limits of a bindExisting login, on top of each ticket's own (bind-ticket.ts), counted in the
 * failure-counter store so every host shares them (runtime/auth/failure-counters.ts):
 *
 * - failed proofs through one DingTalk member (`limits.failures.perMember`): a member holding a
 *   ticket cannot guess their way through other people's accounts, however many tickets they get;
 * - bind tickets issued per member, and verification codes sent per phone and per member: actions
 *   that cost something whether or not they lead anywhere (a ticket row, a text message), so every
 *   one counts. Fixed windows, RATE_LIMITED with Retry-After past them.
 */
import type { ActionLimit, CounterKey, GuardedKey } from '../../../../../runtime';
import type { BindingContext } from '../../../../../dingtalk/binding/binding-context';

export const MEMBER_FAILURE_SCOPE = 'member';
export const BIND_TICKETS_SCOPE = 'bind-tickets-member';
export const CODES_PER_PHONE_SCOPE = 'codes-phone';
export const CODES_PER_MEMBER_SCOPE = 'codes-member';

/** Bind tickets one member may be issued per hour (each BIND_REQUIRED is one; a person needs one or two). */
export const BIND_TICKETS_PER_MEMBER: ActionLimit = { limit: 10, windowSeconds: 60 * 60 };
/** Verification codes one phone may be sent per hour, whoever asks. */
export const CODES_PER_PHONE: ActionLimit = { limit: 5, windowSeconds: 60 * 60 };
/** Verification codes one member may have sent per hour, to whatever phones. */
export const CODES_PER_MEMBER: ActionLimit = { limit: 5, windowSeconds: 60 * 60 };

/** The counters' name for a DingTalk member: `corpId:userid`. */
export function memberSubject(corpId: string, userid: string): string {
  return `${corpId}:${userid}`;
}

export function memberFailureKey(ctx: BindingContext, userid: string): GuardedKey {
  return { scope: MEMBER_FAILURE_SCOPE, subject: memberSubject(ctx.corpId, userid), limit: ctx.app.settings.limits.failures.perMember };
}

export function memberActionKey(scope: string, ctx: BindingContext, userid: string): CounterKey {
  return { scope, subject: memberSubject(ctx.corpId, userid) };
}
