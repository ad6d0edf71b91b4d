/** The usernames of the local users a page of audit events names, to show people rather than ids (CLI and console). */
import type { AppHandle } from '../app-types';
import type { AuditEvent } from './types';

export async function usernamesOf(app: Pick<AppHandle, 'users'>, events: readonly AuditEvent[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const id of new Set(events.map((e) => e.userId).filter((id): id is string => id !== null))) {
    const user = await app.users.findById(id);
    if (user) names.set(id, user.username);
  }
  return names;
}
