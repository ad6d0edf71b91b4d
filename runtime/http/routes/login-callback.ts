/**
 * `GET /login/callback/<instance fullName>?authCode|code=...&state=...`: where DingTalk's full-page
 * sign-in (`/oauth2/auth`) comes back; the redirect URL an operator registers in the DingTalk
 * console. Success sets the session cookie (ending the session the browser held before) and
 * redirects to the page the sign-in started for (`/login?next=`, remembered for this browser; see
 * return-path.ts), else `/`; BIND_REQUIRED answers with the login page itself, the result (ticket and the
 * DingTalk account to link) in its page data, never in a URL (issue #16); a failure is a page in
 * plain words with the error's status. Under the same flood limit as the login functions.
 */
import type { FastifyInstance } from 'fastify';
import { JitError, isJitError } from '../../errors';
import { functionsOf, type ResolvedFunction } from '../function-routes';
import type { HostContext } from '../host-context';
import { invokeFunction } from '../invoke-function';
import { loginScriptsFor } from '../page-needs';
import { activeLoginInstances, isActiveLoginInstance } from '../pages/login-instances';
import { renderLoginPage } from '../pages/login-page';
import { renderMessagePage } from '../pages/message-page';
import { checkFloodLimit } from '../rate-limit-guard';
import { rememberedReturnPath, takeReturnPath } from '../return-path';
import { loginTokenOf, startBrowserSession } from '../session-auth';
import { respondWithPage, signInFailurePage } from './page-response';

export function registerLoginCallbackRoute(fastify: FastifyInstance, ctx: HostContext): void {
  fastify.get('/login/callback/*', async (request, reply) => {
    return respondWithPage(ctx, request, reply, async (nonce, page) => {
      const limited = await checkFloodLimit(ctx, request);
      if (limited) return signInFailurePage(ctx, reply, nonce, page, limited);
      const query = request.query as Record<string, unknown>;
      if (typeof query.error === 'string' && !query.authCode && !query.code) {
        reply.code(400);
        return renderMessagePage({ nonce, page, title: page.words['login.cancelled.title'], message: page.words['login.cancelled.message'] });
      }
      const target = callbackTarget(ctx, (request.params as Record<string, string>)['*']);
      if (!target) {
        return signInFailurePage(ctx, reply, nonce, page, new JitError('NOT_FOUND', 'This sign-in link does not belong to a login of this app. Start again from the sign-in page.'));
      }
      // DingTalk sends `authCode`; one documented variant also (or only) sends `code`.
      const code = typeof query.authCode === 'string' ? query.authCode : query.code;
      try {
        const result = await invokeFunction(ctx.app, target, { code, loginType: 'qr', platform: 'web', state: query.state });
        const login = loginTokenOf(result);
        if (login) {
          await startBrowserSession(ctx.app, request, reply, login);
          reply.redirect(takeReturnPath(ctx.app, request, reply) ?? '/', 302);
          return null;
        }
        const pending = result as { status?: unknown; bindTicket?: unknown; expiresAt?: unknown; member?: unknown } | null;
        if (pending?.status === 'BIND_REQUIRED' && typeof pending.bindTicket === 'string') {
          // Never in a URL (a link can be sent to someone else): the bind form comes in this answer.
          const instances = activeLoginInstances(ctx.app);
          return renderLoginPage({
            app: ctx.app,
            nonce,
            page,
            instances,
            vendorScripts: loginScriptsFor(ctx.app, ctx, instances),
            user: null,
            next: rememberedReturnPath(request),
            mode: 'login',
            // Only what the bind form shows and sends back.
            pendingBind: { instance: target.definition.fullName, status: pending.status, bindTicket: pending.bindTicket, expiresAt: pending.expiresAt, member: pending.member },
          });
        }
        throw new Error(`getLoginCode of ${target.definition.fullName} returned neither a session nor a bind ticket`);
      } catch (err) {
        if (!isJitError(err) || err.status >= 500) {
          ctx.logger.error('login callback failed', { reqId: request.id, err, stack: err instanceof Error ? err.stack : undefined });
        }
        return signInFailurePage(ctx, reply, nonce, page, err);
      }
    });
  });
}

/** The instance the redirect came back for, if it is an active login instance with getLoginCode. */
function callbackTarget(ctx: HostContext, fullName: string | undefined): ResolvedFunction | null {
  if (!fullName || fullName.length > 512) return null;
  const definition = ctx.app.getDefinition(fullName);
  if (!definition || !isActiveLoginInstance(definition)) return null;
  const spec = functionsOf(ctx.app, definition).find((f) => f.name === 'getLoginCode');
  return spec ? { definition, spec } : null;
}
