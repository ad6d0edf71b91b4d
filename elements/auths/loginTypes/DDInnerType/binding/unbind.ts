/**
 * Unbinding a DingTalk member from its local user (`jit bindings unbind`, later the console): the
 * binding row goes, and so does every session that came through it (sessions record the binding
 * they were opened through; those from before that count as through each binding), with their audit
 * rows (binding.removed, session.revoked) in the same transaction. The local user stays; the member's
 * next login goes through the binding policy again.
 */
import type { AppHandle } from '../../../../../runtime';
import type { DDInnerAuthModel, DDInnerAuthRow } from '../DDInnerAuthModel/DDInnerAuthModel';

/**
 * The removed binding and how many sessions ended, or null when there was no such binding. `actor`
 * says who did it (e.g. the CLI's system account, or the console's admin) in the audit rows.
 */
export async function unbindMember(
  app: Pick<AppHandle, 'db' | 'sessions' | 'audit'>,
  model: DDInnerAuthModel,
  bindingId: string,
  actor: object = {},
): Promise<{ binding: DDInnerAuthRow; revokedSessions: number } | null> {
  return app.db.transaction(async (manager) => {
    const binding = typeof bindingId === 'string' && bindingId.length <= 64 ? await model.findById(bindingId, manager) : null;
    if (!binding) return null;
    if (!(await model.remove(bindingId, manager))) return null;
    const revokedSessions = await app.sessions.revokeForBinding(binding.userId, binding.id, manager);
    const who = { corpId: binding.thirdCorpId, memberId: binding.thirdUserId, unionId: binding.unionId, userId: binding.userId };
    await app.audit.record({ type: 'binding.removed', ...who, details: { bindingId, ...actor } }, manager);
    if (revokedSessions > 0) {
      await app.audit.record({ type: 'session.revoked', ...who, details: { bindingId, sessions: revokedSessions, reason: 'binding.removed', ...actor } }, manager);
    }
    return { binding, revokedSessions };
  });
}
