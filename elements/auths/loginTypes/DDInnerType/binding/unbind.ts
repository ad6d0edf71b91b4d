/**
 * Unbinding a DingTalk member from its local user (`jit bindings unbind`, later the console): the
 * binding row goes, and so does every session that came through it (sessions record the binding
 * they were opened through; those from before that count as through each binding). The local user
 * stays; the member's next login goes through the binding policy again.
 */
import type { AppHandle } from '../../../../../runtime/app-types';
import type { DDInnerAuthModel, DDInnerAuthRow } from '../DDInnerAuthModel/DDInnerAuthModel';

/** The removed binding and how many sessions ended, or null when there was no such binding. */
export async function unbindMember(app: Pick<AppHandle, 'db' | 'sessions'>, model: DDInnerAuthModel, bindingId: string): Promise<{ binding: DDInnerAuthRow; revokedSessions: number } | null> {
  return app.db.transaction(async (manager) => {
    const binding = typeof bindingId === 'string' && bindingId.length <= 64 ? await model.findById(bindingId, manager) : null;
    if (!binding) return null;
    if (!(await model.remove(bindingId, manager))) return null;
    return { binding, revokedSessions: await app.sessions.revokeForBinding(binding.userId, binding.id, manager) };
  });
}
