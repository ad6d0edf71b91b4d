/**
 * The console's page shell: the app's name, the sections, who is signed in (and sign-out), the
 * language links, then the section. Every console page carries the CSRF token of the admin's session
 * and the console's words in its page data, and loads the console script (assets/admin.js), which
 * sends each action as JSON with the token in the `x-csrf-token` header.
 */
import { fill, wordsWithPrefix, type WordKey } from '../i18n/words';
import type { AppHandle } from '../app-types';
import { shellOf, type PageLanguage } from '../http/page-language';
import { escapeHtml, fillHtml, renderPage } from '../http/pages/html';
import type { Caller } from '../http/session-auth';

export type ConsoleSection = 'overview' | 'users' | 'sync' | 'audit' | 'config' | 'elements';

const SECTIONS: ReadonlyArray<{ section: ConsoleSection; href: string; word: WordKey }> = [
  { section: 'overview', href: '/admin', word: 'console.nav.overview' },
  { section: 'users', href: '/admin/users', word: 'console.nav.users' },
  { section: 'sync', href: '/admin/sync', word: 'console.nav.sync' },
  { section: 'audit', href: '/admin/audit', word: 'console.nav.audit' },
  { section: 'config', href: '/admin/config', word: 'console.nav.config' },
  { section: 'elements', href: '/admin/elements', word: 'console.nav.elements' },
];

/** The word groups the console script needs. */
const SCRIPT_WORDS = ['console.', 'sync.', 'elements.', 'users.'];

export interface ConsolePage {
  app: AppHandle;
  nonce: string;
  page: PageLanguage;
  caller: Caller;
  csrfToken: string | null;
  section: ConsoleSection;
  /** The page's heading (and part of its title). */
  heading: string;
  /** Trusted HTML. */
  body: string;
  /** More page data for the scripts. */
  data?: Record<string, unknown>;
  /** Scripts besides the console's own. */
  scripts?: string[];
}

export function renderConsolePage(input: ConsolePage): string {
  const { app, page, caller } = input;
  const w = page.words;
  const consoleTitle = fill(w['console.title'], { app: app.title });
  const nav = SECTIONS.map(({ section, href, word }) =>
    section === input.section
      ? `<a href="${href}" aria-current="page" data-section="${section}">${escapeHtml(w[word])}</a>`
      : `<a href="${href}" data-section="${section}">${escapeHtml(w[word])}</a>`,
  ).join('\n    ');
  const header = `<header class="jit-console-header">
  <p class="jit-console-app"><a href="/admin">${escapeHtml(consoleTitle)}</a></p>
  <nav class="jit-console-nav" aria-label="${escapeHtml(w['console.nav'])}">
    ${nav}
  </nav>
  <p class="jit-console-who">${fillHtml(w['console.signedInAs'], { name: `<strong data-role="admin-name">${escapeHtml(caller.user.displayName || caller.user.username)}</strong>` })}
    <button type="button" class="jit-link" data-action="logout">${escapeHtml(w['console.signOut'])}</button></p>
</header>`;
  return renderPage({
    ...shellOf(page),
    title: `${input.heading} · ${consoleTitle}`,
    nonce: input.nonce,
    mainClass: 'jit-console',
    body: `${header}\n<h1>${escapeHtml(input.heading)}</h1>\n<p class="jit-status" data-role="console-status" role="status" aria-live="polite"></p>\n${input.body}`,
    scripts: ['/assets/jit/jit-dom.js', '/assets/jit/admin.js', ...(input.scripts ?? [])],
    data: {
      language: page.language,
      app: { appId: app.appId, title: app.title },
      csrfToken: input.csrfToken,
      words: wordsWithPrefix(w, SCRIPT_WORDS),
      errors: page.errorWords,
      ...input.data,
    },
  });
}

/** A time as operators read logs: `2026-12-06 09:00:12` (UTC), or the given word for none. */
export function formatTime(value: Date | string | null | undefined, none = '—'): string {
  if (value === null || value === undefined) return none;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return none;
  return date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
}

/** `<table>` from a header row and rows of trusted cell HTML; `empty` when there are no rows. */
export function table(headers: string[], rows: string[][], empty: string, attributes = ''): string {
  if (rows.length === 0) return `<p class="jit-muted" data-role="empty">${escapeHtml(empty)}</p>`;
  const head = headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  const body = rows.map((cells) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<div class="jit-table-wrap"><table class="jit-table"${attributes ? ` ${attributes}` : ''}>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`;
}

/** A button the console script turns into a POST of `body` to `url` (JSON, with the CSRF token). */
export function actionButton(label: string, url: string, options: { body?: unknown; role?: string; kind?: 'danger' | 'plain'; disabled?: boolean } = {}): string {
  const attributes = [
    `type="button"`,
    `class="jit-button${options.kind === 'danger' ? ' jit-danger' : options.kind === 'plain' ? ' jit-secondary' : ''}"`,
    `data-action="post"`,
    `data-url="${escapeHtml(url)}"`,
    options.body === undefined ? '' : `data-body="${escapeHtml(JSON.stringify(options.body))}"`,
    options.role ? `data-role="${escapeHtml(options.role)}"` : '',
    options.disabled ? 'disabled' : '',
  ].filter(Boolean);
  return `<button ${attributes.join(' ')}>${escapeHtml(label)}</button>`;
}
