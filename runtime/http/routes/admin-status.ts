/**
 * `GET /api/admin/stream-status`: the state of live organisation events (each corp's Stream
 * connection on every host, events applied, failures, the last catch-up sync), for administrators
 * only (admin-request.ts). `/healthz` stays what it is (public, `{"status":"ok"}`).
 *
 * The runtime knows nothing of corps or DingTalk: whoever starts the host (`jit serve`) hands it the
 * function that reads the state (HostOptions.streamStatus). Elements cannot contribute routes to the
 * host yet; when they can, the corps family contributes this one itself.
 *
 * Anonymous: 401 LOGIN_REQUIRED. Signed in but not an administrator: 404, as if there were no such
 * route (an admin surface is not advertised to everyone who has an account).
 */
import type { FastifyInstance } from 'fastify';
import { JitError } from '../../errors';
import { adminCaller } from '../admin-request';
import { sendData } from '../envelope';
import { replyWithError, type HostContext } from '../host-context';

export const STREAM_STATUS_ROUTE = '/api/admin/stream-status';

export function registerAdminStatusRoutes(fastify: FastifyInstance, ctx: HostContext, sources: { streamStatus?: () => Promise<unknown> }): void {
  const { streamStatus } = sources;
  if (!streamStatus) return;
  fastify.get(STREAM_STATUS_ROUTE, async (request, reply) => {
    try {
      const { caller, admin } = await adminCaller(ctx.app, request);
      if (!caller) throw new JitError('LOGIN_REQUIRED', 'Sign in as an administrator (a user listed in app.json "admins").');
      if (!admin) throw new JitError('NOT_FOUND', 'No such route.');
      reply.header('cache-control', 'no-store');
      return sendData(reply, await streamStatus());
    } catch (err) {
      return replyWithError(ctx, request, reply, err);
    }
  });
}
