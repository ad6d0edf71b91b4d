/** A page that says one thing in plain words (the redirect callback's failures, unknown pages, refusals). */
import type { PageLanguage } from '../page-language';
import { shellOf } from '../page-language';
import { escapeHtml, renderPage } from './html';

export interface MessagePage {
  nonce: string;
  page: PageLanguage;
  title: string;
  message: string;
  /** Default: back to the sign-in page. */
  link?: { href: string; text: string };
}

export function renderMessagePage(input: MessagePage): string {
  const link = input.link ?? { href: '/login', text: input.page.words['page.backToSignIn'] };
  return renderPage({
    ...shellOf(input.page),
    title: input.title,
    nonce: input.nonce,
    body: `<h1>${escapeHtml(input.title)}</h1>
<p class="jit-error" role="alert" data-role="message">${escapeHtml(input.message)}</p>
<p><a class="jit-button" href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p>`,
  });
}
