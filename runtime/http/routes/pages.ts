/**
 * The pages: `/` (who is signed in), `/login` (every active login instance), `/login/workbench`
 * (opened inside DingTalk: logs in without a click) and `/login/callback/<instance fullName>`
 * (the full-page redirect QR flow comes back here). Pages carry a CSP with a fresh nonce.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { JitError, isJitError } from '../../errors';
import { describeFailure } from '../envelope';
import { functionsOf, type ResolvedFunction } from '../function-routes';
import type { HostContext } from '../host-context';
import { invokeFunction } from '../invoke-function';
import { checkLoginRateLimit } from '../rate-limit-guard';
import { setLogRoute } from '../request-log';
import { newNonce, setPageSecurityHeaders } from '../security-headers';
import { authenticate, loginTokenOf, setSessionCookie } from '../session-auth';
import { plainWords } from '../pages/error-words';
import { renderHomePage } from '../pages/home-page';
import { activeLoginInstances, isActiveLoginInstance, loginInstanceView, type LoginInstanceView } from '../pages/login-instances';
import { renderLoginPage } from '../pages/login-page';
import { renderMessagePage } from '../pages/message-page';

/** The service that resolves a corpId to its login instance (the workbench page needs it). */
const DINGTALK_AUTH_SERVICE = 'auths.loginTypes.DDInnerType.services.DDInnerAuthSvc';

export function registerPageRoutes(fastify: FastifyInstance, ctx: HostContext): void {
  fastify.get('/', async (request, reply) =>
    page(ctx, request, reply, async (nonce) => {
      const caller = await authenticate(ctx.app, request);
      return renderHomePage(ctx.app, nonce, caller?.user ?? null);
    }),
  );

  fastify.get('/login', async (request, reply) =>
    page(ctx, request, reply, async (nonce) => {
      const instances = activeLoginInstances(ctx.app);
      const caller = await authenticate(ctx.app, request);
      return renderLoginPage({
        app: ctx.app,
        nonce,
        instances,
        vendorScripts: needsDingTalk(instances) ? [ctx.scripts.ddLogin] : [],
        user: caller?.user ?? null,
        next: safeNext((request.query as Record<string, unknown>).next),
        mode: 'login',
      });
    }),
  );

  fastify.get('/login/workbench', async (request, reply) =>
    page(ctx, request, reply, async (nonce) => {
      const corpId = (request.query as Record<string, unknown>).corpId;
      if (typeof corpId !== 'string' || corpId.trim() === '' || corpId.length > 128) {
        reply.code(400);
        return renderMessagePage(nonce, 'Cannot sign in', 'This page must be opened from the DingTalk workbench, which adds the organisation (corpId) to its address.');
      }
      const instance = workbenchInstance(ctx, corpId);
      if (!instance) {
        reply.code(404);
        return renderMessagePage(nonce, 'Cannot sign in', plainWords('CORP_NOT_CONFIGURED', '', ctx.app.title));
      }
      return renderLoginPage({
        app: ctx.app,
        nonce,
        instances: [instance],
        vendorScripts: [ctx.scripts.dingtalkJsapi],
        user: null,
        next: safeNext((request.query as Record<string, unknown>).next),
        mode: 'workbench',
        corpId,
      });
    }),
  );

  fastify.get('/login/callback/*', async (request, reply) => {
    setLogRoute(request, 'GET /login/callback/*');
    return page(ctx, request, reply, async (nonce) => {
      const limited = checkLoginRateLimit(ctx, request, reply);
      if (limited) return failurePage(ctx, reply, nonce, limited);
      const query = request.query as Record<string, unknown>;
      if (typeof query.error === 'string' && !query.authCode && !query.code) {
        reply.code(400);
        return renderMessagePage(nonce, 'Sign-in cancelled', plainWords('DINGTALK_CANCELLED', '', ctx.app.title));
      }
      const target = callbackTarget(ctx, (request.params as Record<string, string>)['*']);
      if (!target) return failurePage(ctx, reply, nonce, new JitError('NOT_FOUND', 'This sign-in link does not belong to a login of this app. Start again from the sign-in page.'));
      const code = typeof query.authCode === 'string' ? query.authCode : query.code;
      try {
        const result = await invokeFunction(ctx.app, target, { code, loginType: 'qr', platform: 'web', state: query.state });
        const login = loginTokenOf(result);
        if (login) {
          setSessionCookie(reply, request, login.token, login.expiresAt);
          reply.redirect('/', 302);
          return null;
        }
        const bindTicket = (result as { status?: unknown; bindTicket?: unknown } | null)?.bindTicket;
        if (typeof bindTicket === 'string') {
          // In the fragment: it never reaches a server log or a Referer header.
          const fragment = new URLSearchParams({ bind: bindTicket, instance: target.definition.fullName });
          reply.redirect(`/login#${fragment.toString()}`, 302);
          return null;
        }
        throw new Error(`getLoginCode of ${target.definition.fullName} returned neither a session nor a bind ticket`);
      } catch (err) {
        if (!isJitError(err) || err.status >= 500) ctx.logger.error('login callback failed', { reqId: request.id, err, stack: err instanceof Error ? err.stack : undefined });
        return failurePage(ctx, reply, nonce, err);
      }
    });
  });
}

/** Renders a page with security headers; an unexpected failure becomes a plain 500 page. */
async function page(ctx: HostContext, request: FastifyRequest, reply: FastifyReply, render: (nonce: string) => Promise<string | null>): Promise<FastifyReply> {
  const nonce = newNonce();
  setPageSecurityHeaders(reply, nonce, ctx.origins);
  let html: string | null;
  try {
    html = await render(nonce);
  } catch (err) {
    ctx.logger.error('page failed', { reqId: request.id, err, stack: err instanceof Error ? err.stack : undefined });
    reply.code(500);
    html = renderMessagePage(nonce, 'Something went wrong', plainWords('INTERNAL_ERROR', '', ctx.app.title));
  }
  if (html === null) return reply.send();
  return reply.header('content-type', 'text/html; charset=utf-8').send(html);
}

function failurePage(ctx: HostContext, reply: FastifyReply, nonce: string, err: unknown): string {
  const { status, body } = describeFailure(err);
  reply.code(status);
  return renderMessagePage(nonce, 'Sign-in did not work', plainWords(body.error.code, body.error.message, ctx.app.title));
}

function needsDingTalk(instances: LoginInstanceView[]): boolean {
  return instances.some((i) => i.dingtalk);
}

/** The instance the redirect came back for, if it is an active login instance with getLoginCode. */
function callbackTarget(ctx: HostContext, rawFullName: string | undefined): ResolvedFunction | null {
  if (!rawFullName || rawFullName.length > 512) return null;
  const definition = ctx.app.getDefinition(rawFullName);
  if (!definition || !isActiveLoginInstance(definition)) return null;
  const spec = functionsOf(ctx.app, definition).find((f) => f.name === 'getLoginCode');
  return spec ? { definition, spec } : null;
}

/** The active DingTalk login instance for a corpId, via the DingTalk auth service. */
function workbenchInstance(ctx: HostContext, corpId: string): LoginInstanceView | null {
  const service = ctx.app.getElement<{ getAuthByCorpId(corpId: string): { fullName: string } | null }>(DINGTALK_AUTH_SERVICE);
  const element = service.getAuthByCorpId(corpId);
  const definition = element ? ctx.app.getDefinition(element.fullName) : undefined;
  return definition && isActiveLoginInstance(definition) ? loginInstanceView(ctx.app, definition) : null;
}

/** Only same-origin paths: `/x`, never `//host` or `/\host` (open redirects). */
export function safeNext(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 1024) return null;
  return /^\/(?![/\\])[^\s]*$/.test(value) ? value : null;
}
