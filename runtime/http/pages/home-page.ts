/** `/`: who is signed in (with a sign-out button, and the console for an admin), or a link to /login. */
import type { AppHandle } from '../../app-types';
import type { LocalUser } from '../../auth/types';
import { shellOf, type PageLanguage } from '../page-language';
import { escapeHtml, fillHtml, renderPage } from './html';

export function renderHomePage(app: AppHandle, nonce: string, page: PageLanguage, user: LocalUser | null, isAdmin = false): string {
  const w = page.words;
  const body = user
    ? `<h1>${escapeHtml(app.title)}</h1>
<section class="jit-card" data-role="signed-in" aria-label="${escapeHtml(w['home.signedInUser'])}">
  <p>${fillHtml(w['home.signedInAs'], { name: `<strong data-role="user-name">${escapeHtml(user.displayName || user.username)}</strong>` })}</p>
  <dl class="jit-facts">
    <dt>${escapeHtml(w['home.username'])}</dt><dd data-role="user-username">${escapeHtml(user.username)}</dd>
    ${user.phone ? `<dt>${escapeHtml(w['home.phone'])}</dt><dd>${escapeHtml(user.phone)}</dd>` : ''}
    ${user.email ? `<dt>${escapeHtml(w['home.email'])}</dt><dd>${escapeHtml(user.email)}</dd>` : ''}
    <dt>${escapeHtml(w['home.userId'])}</dt><dd data-role="user-id">${escapeHtml(user.id)}</dd>
  </dl>
  <button type="button" class="jit-button" data-role="logout">${escapeHtml(w['home.signOut'])}</button>
  ${isAdmin ? `<a class="jit-button jit-secondary" href="/admin" data-role="console-link">${escapeHtml(w['home.console'])}</a>` : ''}
</section>`
    : `<h1>${escapeHtml(app.title)}</h1>
<p data-role="signed-out">${escapeHtml(w['home.signedOut'])} <a class="jit-button" href="/login">${escapeHtml(w['home.signIn'])}</a></p>`;
  return renderPage({ ...shellOf(page), title: app.title, nonce, body, scripts: user ? ['/assets/jit/home.js'] : [] });
}
