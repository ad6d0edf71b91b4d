/**
 * "We provisioned" (DECISIONS #22): a local user whose source is `login:` or `sync:` of any element
 * of this app (the values logins and syncs have always written included). Such a user is disabled
 * when their last active binding ends; a user created any other way (`jit users create`, the API) is
 * kept for an operator to decide, unless the corp says `leavers.disableUnmanaged`.
 */
import type { LocalUser } from '../../../runtime';

export function isProvisioned(user: Pick<LocalUser, 'source'>): boolean {
  return /^(login|sync):\S/.test(user.source);
}
