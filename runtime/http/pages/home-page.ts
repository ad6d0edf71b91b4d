/** `/`: who is signed in (with a sign-out button), or a link to /login. */
import type { AppHandle } from '../../app-types';
import type { LocalUser } from '../../auth/types';
import { escapeHtml, renderPage } from './html';

export function renderHomePage(app: AppHandle, nonce: string, user: LocalUser | null): string {
  const body = user
    ? `<h1>${escapeHtml(app.title)}</h1>
<section class="jit-card" data-role="signed-in" aria-label="Signed-in user">
  <p>Signed in as <strong data-role="user-name">${escapeHtml(user.displayName || user.username)}</strong></p>
  <dl class="jit-facts">
    <dt>Username</dt><dd data-role="user-username">${escapeHtml(user.username)}</dd>
    ${user.phone ? `<dt>Phone</dt><dd>${escapeHtml(user.phone)}</dd>` : ''}
    ${user.email ? `<dt>Email</dt><dd>${escapeHtml(user.email)}</dd>` : ''}
    <dt>User id</dt><dd data-role="user-id">${escapeHtml(user.id)}</dd>
  </dl>
  <button type="button" class="jit-button" data-role="logout">Sign out</button>
</section>`
    : `<h1>${escapeHtml(app.title)}</h1>
<p data-role="signed-out">You are not signed in. <a class="jit-button" href="/login">Sign in</a></p>`;
  return renderPage({ title: app.title, nonce, body, scripts: user ? ['/assets/jit/home.js'] : [] });
}
