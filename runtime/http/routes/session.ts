/**
 * The caller's own session: `GET /api/me` (the signed-in user) and `POST /api/logout` (revokes the
 * session and clears the cookie; answering success even without a session, so it is idempotent).
 */
import type { FastifyInstance } from 'fastify';
import { JitError } from '../../errors';
import { sendData } from '../envelope';
import { replyWithError, type HostContext } from '../host-context';
import { authenticate, clearSessionCookie, publicUser, readSessionToken } from '../session-auth';

export function registerSessionRoutes(fastify: FastifyInstance, ctx: HostContext): void {
  fastify.get('/api/me', async (request, reply) => {
    try {
      const caller = await authenticate(ctx.app, request);
      if (!caller) throw new JitError('LOGIN_REQUIRED', 'Not signed in, or the session has ended. Sign in again.');
      return sendData(reply, { user: publicUser(caller.user), session: { expiresAt: caller.session.expiresAt } });
    } catch (err) {
      return replyWithError(ctx, request, reply, err);
    }
  });

  fastify.post('/api/logout', async (request, reply) => {
    try {
      const token = readSessionToken(request);
      const revoked = token ? await ctx.app.sessions.revoke(token) : false;
      clearSessionCookie(ctx.app, request, reply);
      return sendData(reply, { loggedOut: true, revoked });
    } catch (err) {
      return replyWithError(ctx, request, reply, err);
    }
  });
}
