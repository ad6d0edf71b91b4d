/**
 * How a page route answers: security headers with a fresh nonce, the browser key cookie when the
 * browser has none (so its first login call is already bound to it), the page's language (and the
 * language cookie when `?lang=` chose it), the rendered HTML, and for any unexpected failure a plain
 * 500 page (the detail only in the log).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ensureBrowserKey } from '../browser-key';
import { describeFailure, setRetryAfter } from '../envelope';
import type { HostContext } from '../host-context';
import { pageLanguageOf, type PageLanguage } from '../page-language';
import { plainWords } from '../pages/error-words';
import { renderMessagePage } from '../pages/message-page';
import { requestContextOf } from '../request-scope';
import { newNonce, setPageSecurityHeaders } from '../security-headers';

/** Renders with `render(nonce, page)`; a null result means the route already answered (a redirect). */
export async function respondWithPage(
  ctx: HostContext,
  request: FastifyRequest,
  reply: FastifyReply,
  render: (nonce: string, page: PageLanguage) => Promise<string | null>,
): Promise<FastifyReply> {
  const nonce = newNonce();
  setPageSecurityHeaders(reply, nonce, ctx.origins);
  ensureBrowserKey(ctx.app, request, reply, requestContextOf(request));
  const page = pageLanguageOf(ctx.app, request, reply);
  let html: string | null;
  try {
    html = await render(nonce, page);
  } catch (err) {
    ctx.logger.error('page failed', { reqId: request.id, err, stack: err instanceof Error ? err.stack : undefined });
    reply.code(500);
    html = renderMessagePage({ nonce, page, title: page.words['page.failed.title'], message: plainWords('INTERNAL_ERROR', '', ctx.app.title, page.language) });
  }
  // null: render answered itself (a redirect); sending again would be fastify's "Reply was already sent" warning.
  if (html === null) return reply.sent ? reply : reply.send();
  return reply.header('content-type', 'text/html; charset=utf-8').send(html);
}

/** A sign-in failure as a page in plain words, with the error's status. */
export function signInFailurePage(ctx: HostContext, reply: FastifyReply, nonce: string, page: PageLanguage, err: unknown): string {
  const { status, body } = describeFailure(err);
  reply.code(status);
  setRetryAfter(reply, err);
  return renderMessagePage({ nonce, page, title: page.words['login.failed.title'], message: plainWords(body.error.code, body.error.message, ctx.app.title, page.language, ctx.app.errorCodes) });
}
