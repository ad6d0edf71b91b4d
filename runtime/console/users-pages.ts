/**
 * The console's users: the search (`/admin/users?q=`) and one user (`/admin/users/<id>`) with their
 * bound accounts, live sessions and recent audit events, and the actions on them.
 */
import type { AppHandle } from '../app-types';
import { decideAdmin } from '../auth/admins';
import type { LocalUser } from '../auth/types';
import { adminResolvers, consoleAccounts, type BoundAccount } from '../contributions';
import { fill } from '../i18n/words';
import type { PageLanguage } from '../http/page-language';
import { escapeHtml } from '../http/pages/html';
import type { Caller } from '../http/session-auth';
import { renderAuditTable } from './audit-page';
import { actionButton, formatTime, table } from './layout';
import { searchUsers } from './user-search';

const RECENT_EVENTS = 20;

export async function renderUsersPage(app: AppHandle, page: PageLanguage, term: string): Promise<string> {
  const w = page.words;
  const users = await searchUsers(app, term);
  const rows = users.map((u) => [
    `<a href="/admin/users/${encodeURIComponent(u.id)}" data-role="user-link">${escapeHtml(u.username)}</a>`,
    escapeHtml(u.displayName),
    escapeHtml(u.phone ?? ''),
    `<code>${escapeHtml(u.source)}</code>`,
    statusBadge(u, page),
  ]);
  return `<form class="jit-search" method="get" action="/admin/users" role="search">
  <label for="user-search">${escapeHtml(w['users.search'])}</label>
  <input id="user-search" name="q" type="search" value="${escapeHtml(term)}" autocomplete="off">
  <button type="submit" class="jit-button">${escapeHtml(w['users.searchButton'])}</button>
</form>
${term.trim() === '' ? `<p class="jit-muted">${escapeHtml(w['users.hint'])}</p>` : ''}
${table([w['users.username'], w['users.displayName'], w['users.phone'], w['users.source'], w['console.status']], rows, w['users.noMatch'], 'data-role="user-results"')}`;
}

export async function renderUserPage(app: AppHandle, page: PageLanguage, caller: Caller, user: LocalUser): Promise<string> {
  const w = page.words;
  const base = `/admin/api/users/${encodeURIComponent(user.id)}`;
  const decision = await decideAdmin(app, user, adminResolvers(app));
  const accounts: BoundAccount[] = [];
  for (const family of consoleAccounts(app)) if (family.accountsOf) accounts.push(...(await family.accountsOf(app, user.id)));
  const sessions = await app.sessions.listForUser(user.id);
  const events = await app.audit.list({ user: user.id, limit: RECENT_EVENTS });
  const self = user.id === caller.user.id;

  const facts: Array<[string, string]> = [
    [w['users.username'], `<span data-role="user-username">${escapeHtml(user.username)}</span>`],
    [w['users.displayName'], escapeHtml(user.displayName)],
    [w['users.userId'], `<code>${escapeHtml(user.id)}</code>`],
    [w['users.phone'], escapeHtml(user.phone ?? '—')],
    [w['users.email'], escapeHtml(user.email ?? '—')],
    [w['users.employeeNo'], escapeHtml(user.employeeNo ?? '—')],
    [w['users.source'], `<code>${escapeHtml(user.source)}</code>`],
    [w['users.created'], escapeHtml(formatTime(user.createTime))],
    [w['console.status'], `<span data-role="user-status">${statusBadge(user, page)}</span>`],
    [w['users.admin'], escapeHtml(decision.admin ? fill(w['users.adminVia'], { via: decision.via ?? '' }) : w['console.no'])],
  ];
  const actions = [
    user.disabled
      ? actionButton(w['users.enable'], `${base}/enable`, { role: 'enable' })
      : actionButton(w['users.disable'], `${base}/disable`, { role: 'disable', kind: 'danger', disabled: self }),
    actionButton(w['users.unlock'], `${base}/unlock`, { role: 'unlock', kind: 'plain' }),
    actionButton(w['users.revokeSessions'], `${base}/revoke-sessions`, { role: 'revoke-sessions', kind: 'plain' }),
  ];
  const accountRows = accounts.map((a) => [
    escapeHtml(a.system),
    `<code>${escapeHtml(a.organisation ?? '—')}</code>`,
    `<code data-role="bound-account">${escapeHtml(a.account)}</code>${factsOf(a)}`,
    escapeHtml(formatTime(a.createTime)),
    a.leftAt ? escapeHtml(fill(w['users.left'], { time: formatTime(a.leftAt) })) : `<span class="jit-badge jit-good">${escapeHtml(w['console.active'])}</span>`,
    actionButton(w['users.unbind'], `/admin/api/bindings/${encodeURIComponent(a.id)}/unbind`, { role: 'unbind', kind: 'danger' }),
  ]);
  const sessionRows = sessions.map((s) => [
    escapeHtml(formatTime(s.createTime)),
    escapeHtml(formatTime(s.lastSeenAt, w['console.never'])),
    escapeHtml(formatTime(s.expiresAt)),
    s.bindingId ? `<code>${escapeHtml(s.bindingId)}</code>` : '—',
    actionButton(w['users.revoke'], `${base}/sessions/${encodeURIComponent(s.id)}/revoke`, { role: 'revoke-session', kind: 'plain' }),
  ]);
  return `<section class="jit-card" aria-label="${escapeHtml(user.username)}" data-role="user" data-user-id="${escapeHtml(user.id)}">
<dl class="jit-facts">
${facts.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${value}</dd>`).join('\n')}
</dl>
<p class="jit-actions">${actions.join(' ')}</p>
${self ? `<p class="jit-muted">${escapeHtml(w['users.self'])}</p>` : ''}
</section>
<section aria-labelledby="bindings-title" data-role="bindings">
<h2 id="bindings-title">${escapeHtml(w['users.bindings'])}</h2>
${table([w['users.system'], w['users.organisation'], w['users.account'], w['users.since'], w['console.status'], w['console.actions']], accountRows, w['users.noBindings'])}
</section>
<section aria-labelledby="sessions-title" data-role="sessions">
<h2 id="sessions-title">${escapeHtml(w['users.sessions'])}</h2>
${table([w['users.started'], w['users.lastSeen'], w['users.expires'], w['users.through'], w['console.actions']], sessionRows, w['users.noSessions'])}
</section>
<section aria-labelledby="events-title" data-role="user-events">
<h2 id="events-title">${escapeHtml(w['users.recentEvents'])}</h2>
${renderAuditTable(events.events, new Map([[user.id, user.username]]), page)}
<p><a href="/admin/audit?user=${encodeURIComponent(user.id)}">${escapeHtml(w['users.allEvents'])}</a></p>
</section>`;
}

function statusBadge(user: LocalUser, page: PageLanguage): string {
  return user.disabled
    ? `<span class="jit-badge jit-bad">${escapeHtml(page.words['console.disabled'])}</span>`
    : `<span class="jit-badge jit-good">${escapeHtml(page.words['console.active'])}</span>`;
}

function factsOf(account: BoundAccount): string {
  const shown = Object.entries(account.facts).filter(([, value]) => value);
  if (!shown.length) return '';
  return `<br><span class="jit-muted">${shown.map(([key, value]) => `${escapeHtml(key)}: ${escapeHtml(value)}`).join(' · ')}</span>`;
}
