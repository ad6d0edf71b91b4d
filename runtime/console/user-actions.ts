/**
 * What an admin does to a user from the console: disable (ending every session), enable, clear the
 * sign-in back-off, end sessions, unbind an account. Each change and its `admin.*` audit row (with
 * the admin's user id, see consoleActor) are written in one transaction.
 */
import { IsNull, MoreThan } from 'typeorm';
import type { AppHandle } from '../app-types';
import { disableUser, enableUser, unlockUser } from '../auth/account-admin';
import type { LocalUser } from '../auth/types';
import { consoleAccounts } from '../contributions';
import { SessionEntity } from '../db/core-models';
import { JitError } from '../errors';
import type { Caller } from '../http/session-auth';
import { consoleActor } from './gate';

export type UserAction = 'disable' | 'enable' | 'unlock' | 'revoke-sessions';
export const USER_ACTIONS: readonly UserAction[] = ['disable', 'enable', 'unlock', 'revoke-sessions'];

export async function findUserOrFail(app: AppHandle, userId: string): Promise<LocalUser> {
  const user = typeof userId === 'string' && userId.length <= 64 ? await app.users.findById(userId) : null;
  if (!user) throw new JitError('NOT_FOUND', `No local user has id ${String(userId).slice(0, 64)}`);
  return user;
}

export async function runUserAction(app: AppHandle, caller: Caller, userId: string, action: UserAction): Promise<Record<string, unknown>> {
  const user = await findUserOrFail(app, userId);
  const actor = consoleActor(caller);
  const who = { userId: user.id };
  switch (action) {
    case 'disable': {
      if (user.id === caller.user.id) throw new JitError('BAD_REQUEST', 'You cannot disable your own account from the console: another administrator can.');
      return app.db.transaction(async (manager) => {
        const { revokedSessions } = await disableUser(app, user, { manager, actor });
        await app.audit.record({ type: 'admin.user.disabled', ...who, details: { ...actor, username: user.username, revokedSessions } }, manager);
        return { disabled: true, revokedSessions };
      });
    }
    case 'enable':
      return app.db.transaction(async (manager) => {
        await enableUser(app, user, { manager, actor });
        await app.audit.record({ type: 'admin.user.enabled', ...who, details: { ...actor, username: user.username } }, manager);
        return { disabled: false };
      });
    case 'unlock':
      return app.db.transaction(async (manager) => {
        const counters = await unlockUser(app, user, { actor });
        await app.audit.record({ type: 'admin.user.unlocked', ...who, details: { ...actor, username: user.username, counters } }, manager);
        return { counters };
      });
    case 'revoke-sessions':
      return app.db.transaction(async (manager) => {
        const revokedSessions = await app.sessions.revokeAllForUser(user.id, manager);
        await app.audit.record({ type: 'admin.sessions.revoked', ...who, details: { ...actor, username: user.username, sessions: revokedSessions } }, manager);
        return { revokedSessions };
      });
    default:
      throw new JitError('NOT_FOUND', `No user action ${String(action)}`);
  }
}

/** Ends one live session of a user (by its id, which the console lists; never by token). */
export async function revokeSession(app: AppHandle, caller: Caller, userId: string, sessionId: string): Promise<{ revoked: boolean }> {
  const user = await findUserOrFail(app, userId);
  if (typeof sessionId !== 'string' || sessionId.length > 64) throw new JitError('BAD_REQUEST', 'sessionId must be a session id from the user page');
  return app.db.transaction(async (manager) => {
    const now = new Date();
    const result = await manager.update(SessionEntity, { id: sessionId, userId: user.id, revokedAt: IsNull(), expiresAt: MoreThan(now) }, { revokedAt: now });
    const revoked = (result.affected ?? 0) > 0;
    if (revoked) await app.audit.record({ type: 'admin.session.revoked', userId: user.id, details: { ...consoleActor(caller), username: user.username, sessionId } }, manager);
    return { revoked };
  });
}

/** Unbinds an account (whichever family's binding it is); its sessions end with it. */
export async function unbindAccount(app: AppHandle, caller: Caller, bindingId: string): Promise<{ userId: string; revokedSessions: number }> {
  if (typeof bindingId !== 'string' || bindingId === '' || bindingId.length > 64) throw new JitError('BAD_REQUEST', 'bindingId must be a binding id from the user page');
  const actor = consoleActor(caller);
  for (const accounts of consoleAccounts(app)) {
    if (!accounts.unbind) continue;
    const removed = await app.db.transaction(async (manager) => {
      const result = await accounts.unbind!(app, bindingId, actor);
      if (result) await app.audit.record({ type: 'admin.binding.removed', userId: result.userId, details: { ...actor, bindingId, revokedSessions: result.revokedSessions } }, manager);
      return result;
    });
    if (removed) return removed;
  }
  throw new JitError('NOT_FOUND', `No binding with id ${bindingId}`);
}
