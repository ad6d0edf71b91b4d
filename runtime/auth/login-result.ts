/**
 * The result shapes of a login (CONTRACT §3), shared by every login Type (DingTalk's, PasswordType,
 * an app's own): a LOGGED_IN result opens a session and carries its token once; a login that must
 * first link an outside account to a local one answers BIND_REQUIRED (then CODE_SENT on a phone
 * proof) instead. Failures are JitErrors, never results. What only DingTalk adds (the member it came
 * through, how the member was bound) lives with the DingTalk login Type.
 */
import type { AppHandle } from '../app-types';
import { LOGIN_ERRORS } from './login-error-codes';
import type { LocalUser } from './types';

/** How an outside account came to be bound to the local user on this login. */
export type BindingKind = 'existing' | 'autoBound' | 'created';

/** A local user as results show it (JSON-ready: times as ISO strings); never a password hash. */
export type PublicUser = Omit<LocalUser, 'createTime' | 'updateTime'> & { createTime: string; updateTime: string };

export interface LoggedInResult {
  success: true;
  status: 'LOGGED_IN';
  userId: string;
  /** The session token, returned once; only its hash is stored. */
  token: string;
  /** ISO 8601. */
  expiresAt: string;
  user: PublicUser;
}

/**
 * The outside account a bind form is about to link, so the person proving a local account sees
 * whose account it is (and stops if it is not theirs). Display-safe: a name, a picture and the
 * organisation, never a phone, an email or an id beyond the organisation's.
 */
export interface BindingMemberView {
  name: string;
  /** An https URL of the account's picture, or null (the login page's CSP loads images over https only). */
  avatar: string | null;
  /** The organisation's id (a DingTalk corpId for DingTalk's login). */
  corpId: string;
  /** The organisation's name when the login knows it, else null (show corpId). */
  corpName: string | null;
}

export interface BindRequiredResult {
  success: false;
  status: 'BIND_REQUIRED';
  /**
   * Single use, and only from the client it was issued to: pass it to completeBinding with a proof
   * of a local account, from the same browser (or with `clientKey`). Never put it in a URL.
   */
  bindTicket: string;
  expiresAt: string;
  /** The outside account being linked: show it on the bind form. */
  member: BindingMemberView;
  /**
   * Only when the login ran outside any browser (a library call without a browser key): the key
   * the ticket is bound to. Pass it to completeBinding as `options.clientKey`, and keep it where the
   * person cannot copy it (an HttpOnly cookie, your server-side session): never next to the ticket.
   */
  clientKey?: string;
}

export interface CodeSentResult {
  success: false;
  status: 'CODE_SENT';
  /** When the bind ticket (and so the code) stops being accepted. */
  expiresAt: string;
}

export function publicUser(user: LocalUser): PublicUser {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    phone: user.phone ?? null,
    email: user.email ?? null,
    employeeNo: user.employeeNo ?? null,
    disabled: user.disabled,
    source: user.source,
    createTime: toIso(user.createTime),
    updateTime: toIso(user.updateTime),
  };
}

/** USER_DISABLED when the local account is switched off. */
export function assertUserEnabled(user: LocalUser): void {
  if (user.disabled) throw LOGIN_ERRORS.error('USER_DISABLED', 'This local account is disabled; ask an administrator to enable it');
}

/**
 * Opens a session for a local user; USER_DISABLED when the account is switched off. `bindingId`:
 * the binding the login came through (none for a password login), so ending the binding ends it.
 */
export async function openSession(app: AppHandle, user: LocalUser, options: { bindingId?: string } = {}): Promise<LoggedInResult> {
  assertUserEnabled(user);
  const { token, session } = await app.sessions.create(user.id, { bindingId: options.bindingId ?? null });
  return { success: true, status: 'LOGGED_IN', userId: user.id, token, expiresAt: toIso(session.expiresAt), user: publicUser(user) };
}

/** BIND_REQUIRED for a ticket issued to link `member` (with the client key when the login ran outside a browser). */
export function bindRequired(ticket: { id: string; expiresAt: Date }, member: BindingMemberView, clientKey?: string): BindRequiredResult {
  return { success: false, status: 'BIND_REQUIRED', bindTicket: ticket.id, expiresAt: toIso(ticket.expiresAt), member, ...(clientKey ? { clientKey } : {}) };
}

function toIso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}
