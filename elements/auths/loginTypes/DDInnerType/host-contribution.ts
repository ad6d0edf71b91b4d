/**
 * What the DingTalk login Type contributes to the host (runtime/contributions.ts), so the runtime
 * itself stays DingTalk-free:
 *   - its login panel's words in each language (pages/panel-words.ts);
 *   - the `dingtalk:<corpId>:<userid>` form of app.json `admins`: the local user bound to that
 *     DingTalk member through an active binding (a binding marked left names nobody);
 *   - for the console: finding users by DingTalk userid or unionId, listing a user's DingTalk
 *     bindings, and unbinding one (unbindMember: the row, its sessions and their audit rows).
 */
import type { AppHandle, BoundAccount, HostContribution } from '../../../../runtime';
import { DDBindingEntity, DDBindingStore, type DDBindingRow } from '../../../../dingtalk/binding/binding-store';
import { dingTalkHostsOf } from '../../../../dingtalk/hosts';
import type { DDInnerAuthModel } from './DDInnerAuthModel/DDInnerAuthModel';
import { unbindMember } from './binding/unbind';
import { PANEL_WORDS } from './pages/panel-words';

/** Named, not imported: DDInnerType.ts re-exports this module. */
const AUTH_MODEL = 'auths.loginTypes.DDInnerType.DDInnerAuthModel';
const SEARCH_LIMIT = 50;

/** `<corpId>:<userid>` -> the local user of that member's active binding, or null. */
export async function resolveDingTalkAdmin(app: AppHandle, member: string): Promise<string | null> {
  const at = member.indexOf(':');
  if (at <= 0 || at === member.length - 1) return null;
  const binding = await new DDBindingStore(app.db).findByMember(member.slice(0, at), member.slice(at + 1));
  return binding && binding.leftAt === null ? binding.userId : null;
}

async function findUserIds(app: AppHandle, term: string): Promise<string[]> {
  const wanted = term.trim();
  if (wanted === '' || wanted.length > 64) return [];
  const rows = await app.db.run((m) =>
    m.find(DDBindingEntity, { where: [{ thirdUserId: wanted }, { unionId: wanted }], take: SEARCH_LIMIT }),
  );
  return [...new Set(rows.map((row) => row.userId))];
}

async function accountsOf(app: AppHandle, userId: string): Promise<BoundAccount[]> {
  const rows = await new DDBindingStore(app.db).findByUserId(userId);
  return rows.map(toAccount);
}

async function unbind(app: AppHandle, bindingId: string, actor: Record<string, unknown>): Promise<{ userId: string; revokedSessions: number } | null> {
  const removed = await unbindMember(app, app.getElement<DDInnerAuthModel>(AUTH_MODEL), bindingId, actor);
  return removed ? { userId: removed.binding.userId, revokedSessions: removed.revokedSessions } : null;
}

function toAccount(row: DDBindingRow): BoundAccount {
  return {
    id: row.id,
    system: 'DingTalk',
    organisation: row.thirdCorpId,
    account: row.thirdUserId,
    facts: { unionId: row.unionId, jobNumber: row.jobNumber, phone: row.phone, email: row.email },
    createTime: row.createTime,
    leftAt: row.leftAt,
  };
}

export const hostContribution: HostContribution = Object.freeze({
  panelWords: PANEL_WORDS,
  adminResolvers: Object.freeze({ dingtalk: resolveDingTalkAdmin }),
  console: Object.freeze({ findUserIds, accountsOf, unbind }),
  // The QR frame comes from DingTalk's login host (the simulator's under --sim).
  frameOrigins: (app: AppHandle) => {
    const origin = URL.canParse(dingTalkHostsOf(app).loginUrl) ? new URL(dingTalkHostsOf(app).loginUrl).origin : undefined;
    return origin ? [origin] : [];
  },
});
