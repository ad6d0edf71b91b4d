/**
 * `POST /api/<orgId>/<appName>/<fullName as path>/<function>`: calls an element function with the
 * JSON body's named arguments. Login functions (anonymous functions under auths.loginTypes) are
 * under the per-address flood limit and get the browser key cookie when the browser has none;
 * functions marked loginRequired need a live session. A result carrying a session token (a login)
 * also sets the HttpOnly session cookie (ending the session the browser held before); a page that
 * relies on the cookie sends `X-Jit-Session: cookie` and gets the result without the token.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ElementDefinition } from '../../definitions';
import { JitError } from '../../errors';
import { sendData } from '../envelope';
import { functionPath, resolveFunction, type ResolvedFunction } from '../function-routes';
import { replyWithError, type HostContext } from '../host-context';
import { invokeFunction } from '../invoke-function';
import { LOGIN_NAMESPACE } from '../pages/login-instances';
import { ensureBrowserKey } from '../browser-key';
import { checkFloodLimit } from '../rate-limit-guard';
import { setLogRoute } from '../request-log';
import { requestContextOf } from '../request-scope';
import { authenticate, loginTokenOf, readSessionToken, startBrowserSession } from '../session-auth';

export function registerFunctionRoutes(fastify: FastifyInstance, ctx: HostContext): void {
  fastify.post('/api/*', async (request, reply) => {
    try {
      const resolved = resolveFunction(ctx.app, request.url.split('?')[0]);
      if (!resolved) {
        throw new JitError('NOT_FOUND', 'No element function at this address. Functions are called as POST /api/<orgId>/<appName>/<element path>/<function>.');
      }
      setLogRoute(request, functionPath(ctx.app, resolved.definition.fullName, resolved.spec.name));
      return await callFunction(ctx, request, reply, resolved);
    } catch (err) {
      return replyWithError(ctx, request, reply, err);
    }
  });
}

/**
 * Anonymous functions of login instances and of login Types' services (everything under
 * auths.loginTypes): where credentials, codes and tickets are tried, so where guessing is limited.
 */
function isLoginFunction(definition: ElementDefinition): boolean {
  return definition.fullName.startsWith(LOGIN_NAMESPACE);
}

async function callFunction(ctx: HostContext, request: FastifyRequest, reply: FastifyReply, resolved: ResolvedFunction): Promise<FastifyReply> {
  const { definition, spec } = resolved;
  // Absent means required (e.json's default): only an explicit false opens a function to anyone.
  if (spec.loginRequired !== false) {
    if (!(await authenticate(ctx.app, request))) throw new JitError('LOGIN_REQUIRED', `${spec.name} needs a signed-in user.`);
  } else if (readSessionToken(request)) {
    // Open to anyone, but the request context names the caller's session when there is one.
    await authenticate(ctx.app, request);
  }
  if (spec.loginRequired === false && isLoginFunction(definition)) {
    const limited = await checkFloodLimit(ctx, request);
    if (limited) throw limited;
    ensureBrowserKey(ctx.app, request, reply, requestContextOf(request));
  }
  const result = await invokeFunction(ctx.app, resolved, request.body);
  const login = loginTokenOf(result);
  if (!login) return sendData(reply, result);
  await startBrowserSession(ctx.app, request, reply, login);
  const cookieOnly = String(request.headers['x-jit-session'] ?? '').toLowerCase() === 'cookie';
  return sendData(reply, cookieOnly ? { ...(result as object), token: undefined } : result);
}
