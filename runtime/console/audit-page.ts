/**
 * The console's audit trail: the filters of `jit audit list` (since, until, user, type, instance,
 * per page) as a GET form, newest first, paged by the store's cursor (the next page continues after
 * the last row shown, so rows added meanwhile do not shift it).
 */
import type { AppHandle } from '../app-types';
import { parseAuditTime } from '../audit/time-spec';
import { readTypeFilter } from '../audit/type-filter';
import { MAX_LIST_LIMIT, type AuditEvent, type AuditQuery } from '../audit/types';
import { isJitError } from '../errors';
import type { PageLanguage } from '../http/page-language';
import { escapeHtml } from '../http/pages/html';
import { formatTime, table } from './layout';
import { usernamesOf } from '../audit/usernames';

const DEFAULT_PAGE = 50;
const FILTERS = ['since', 'until', 'user', 'type', 'instance', 'limit'] as const;

export async function renderAuditPage(app: AppHandle, page: PageLanguage, query: Record<string, unknown>): Promise<string> {
  const w = page.words;
  const given = Object.fromEntries(FILTERS.map((key) => [key, typeof query[key] === 'string' ? (query[key] as string).trim().slice(0, 200) : ''])) as Record<(typeof FILTERS)[number], string>;
  const cursor = typeof query.cursor === 'string' && /^\d{1,19}$/.test(query.cursor) ? query.cursor : undefined;
  let problem: string | null = null;
  let events: AuditEvent[] = [];
  let nextCursor: string | null = null;
  try {
    const filter = await filterOf(app, given);
    const result = await app.audit.list({ ...filter, cursor });
    events = result.events;
    nextCursor = result.nextCursor;
  } catch (err) {
    if (!isJitError(err)) throw err;
    problem = err.message;
  }
  const usernames = await usernamesOf(app, events);
  const field = (key: (typeof FILTERS)[number], label: string, type = 'text') =>
    `<div class="jit-field"><label for="audit-${key}">${escapeHtml(label)}</label><input id="audit-${key}" name="${key}" type="${type}" value="${escapeHtml(given[key])}"${key === 'limit' ? ` min="1" max="${MAX_LIST_LIMIT}"` : ''}></div>`;
  const filters = new URLSearchParams(Object.entries(given).filter(([, v]) => v !== ''));
  const older = nextCursor ? `/admin/audit?${new URLSearchParams([...filters, ['cursor', nextCursor]]).toString()}` : null;
  return `<form class="jit-filters" method="get" action="/admin/audit" data-role="audit-filters">
${field('since', w['audit.since'])}
${field('until', w['audit.until'])}
${field('user', w['audit.user'])}
${field('type', w['audit.type'])}
${field('instance', w['audit.instance'])}
${field('limit', w['audit.limit'], 'number')}
<div class="jit-field"><button type="submit" class="jit-button">${escapeHtml(w['audit.filter'])}</button></div>
</form>
${problem ? `<p class="jit-error" role="alert" data-role="audit-problem">${escapeHtml(problem)}</p>` : ''}
${renderAuditTable(events, usernames, page)}
<p class="jit-pager">${cursor ? `<a href="/admin/audit?${escapeHtml(filters.toString())}" data-role="newest">${escapeHtml(w['audit.newest'])}</a>` : ''}
${older ? `<a href="${escapeHtml(older)}" data-role="older">${escapeHtml(w['audit.older'])} →</a>` : ''}</p>`;
}

/** The store's query; a `user` that is a username becomes that user's id, as in `jit audit list`. */
async function filterOf(app: AppHandle, given: Record<(typeof FILTERS)[number], string>): Promise<AuditQuery> {
  const query: AuditQuery = { limit: DEFAULT_PAGE };
  if (given.since) query.since = parseAuditTime(given.since, 'since');
  if (given.until) query.until = parseAuditTime(given.until, 'until');
  if (given.type) {
    readTypeFilter(given.type);
    query.type = given.type;
  }
  if (given.instance) query.instance = given.instance;
  if (given.user) query.user = (await app.users.findByUsername(given.user))?.id ?? given.user;
  if (given.limit) query.limit = Number(given.limit);
  return query;
}


/** Audit rows as a table (the user page shows one too). */
export function renderAuditTable(events: AuditEvent[], usernames: Map<string, string>, page: PageLanguage): string {
  const w = page.words;
  const rows = events.map((e) => [
    escapeHtml(formatTime(e.time)),
    `<code data-role="event-type">${escapeHtml(e.type)}</code>`,
    escapeHtml(e.outcome),
    String(e.count),
    e.userId ? `<a href="/admin/users/${encodeURIComponent(e.userId)}">${escapeHtml(usernames.get(e.userId) ?? e.userId)}</a>` : '—',
    escapeHtml(e.memberId ?? '—'),
    e.instance ? `<code>${escapeHtml(e.instance)}</code>` : '—',
    escapeHtml(e.clientAddress ?? '—'),
    e.details ? `<code class="jit-details">${escapeHtml(detailsText(e.details))}</code>` : '',
  ]);
  return table(
    [w['console.time'], w['console.type'], w['audit.outcome'], w['audit.count'], w['audit.user.column'], w['audit.account'], w['audit.instance.column'], w['audit.address'], w['audit.details']],
    rows,
    w['audit.none'],
    'data-role="audit-events"',
  );
}

function detailsText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
}
