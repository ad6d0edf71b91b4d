/**
 * What the DingTalk login Type contributes to the host (runtime/contributions.ts), so the runtime
 * itself stays DingTalk-free:
 *   - its login panel's words in each language (pages/panel-words.ts);
 *   - what the panel needs on the pages (dingtalk/page-scripts.ts): DingTalk's QR frame script on the
 *     sign-in page and the JSAPI on the workbench page, by exact URL under `dingtalk.scriptBase`,
 *     the QR frame's origin (the DingTalk login host the app uses) and DingTalk's avatar CDN;
 *   - its own sign-in page, `/login/workbench?corpId=`, which DingTalk's workbench opens: the active
 *     login of that organisation, signing in without a click (pages/login-panel.js, mode workbench);
 *   - the host's words in DingTalk's terms (pages/host-words.ts);
 *   - the `dingtalk:<corpId>:<userid>` form of app.json `admins`: the local user bound to that
 *     DingTalk member through an active binding (a binding marked left names nobody);
 *   - for the console: finding users by DingTalk userid or unionId, listing a user's DingTalk
 *     bindings, and unbinding one (unbindMember: the row, its sessions and their audit rows).
 */
import type { AppHandle, BoundAccount, ContributedLoginPage, HostContribution } from '../../../../runtime';
import { DDBindingEntity, DDBindingStore, type DDBindingRow } from '../../../../dingtalk/binding/binding-store';
import { dingtalkPageNeeds } from '../../../../dingtalk/page-scripts';
import { DINGTALK_AUTH_MODEL, DINGTALK_AUTH_SERVICE } from '../../../../dingtalk/login-type';
import type { DDInnerAuthModel } from './DDInnerAuthModel/DDInnerAuthModel';
import { unbindMember } from './binding/unbind';
import { HOST_WORDS } from './pages/host-words';
import { PANEL_WORDS } from './pages/panel-words';

// From dingtalk/login-type.ts, not from DDInnerType.ts, which re-exports this module.
const AUTH_MODEL = DINGTALK_AUTH_MODEL;
const AUTH_SERVICE = DINGTALK_AUTH_SERVICE;
const SEARCH_LIMIT = 50;


/** `/login/workbench?corpId=`: DingTalk's workbench opens it with the organisation in the address. */
const workbenchPage: ContributedLoginPage = {
  scripts: ['dingtalkJsapi'],
  heading: 'login.headingWorkbench',
  choose(app, query) {
    const corpId = query.corpId;
    if (typeof corpId !== 'string' || corpId.trim() === '' || corpId.length > 128) return { refuse: { status: 400, word: 'login.workbenchOnly' } };
    const auth = app.getElement<{ getAuthByCorpId(corpId: string): { fullName: string } | null }>(AUTH_SERVICE).getAuthByCorpId(corpId);
    return { instance: auth?.fullName ?? null, data: { corpId } };
  },
  noInstance: { status: 404, code: 'CORP_NOT_CONFIGURED' },
};

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
  pageNeeds: dingtalkPageNeeds,
  loginPages: Object.freeze({ workbench: workbenchPage }),
  words: HOST_WORDS,
  adminResolvers: Object.freeze({ dingtalk: resolveDingTalkAdmin }),
  console: Object.freeze({ findUserIds, accountsOf, unbind }),
});
