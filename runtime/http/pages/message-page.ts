/** A page that says one thing in plain words (the redirect callback's failures, unknown pages). */
import { escapeHtml, renderPage } from './html';

export function renderMessagePage(nonce: string, title: string, message: string, link: { href: string; text: string } = { href: '/login', text: 'Back to sign-in' }): string {
  return renderPage({
    title,
    nonce,
    body: `<h1>${escapeHtml(title)}</h1>
<p class="jit-error" role="alert" data-role="message">${escapeHtml(message)}</p>
<p><a class="jit-button" href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p>`,
  });
}
