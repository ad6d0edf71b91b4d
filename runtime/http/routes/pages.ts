/**
 * The pages: `/` (who is signed in), `/login` (every active login instance) and `/login/workbench`
 * (opened inside DingTalk: logs in without a click). The redirect flow's callback is in
 * login-callback.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { HostContext } from '../host-context';
import { authenticate } from '../session-auth';
import { plainWords } from '../pages/error-words';
import { renderHomePage } from '../pages/home-page';
import { activeLoginInstances, isActiveLoginInstance, loginInstanceView, type LoginInstanceView } from '../pages/login-instances';
import { renderLoginPage } from '../pages/login-page';
import { renderMessagePage } from '../pages/message-page';
import { respondWithPage } from './page-response';

/** The service that resolves a corpId to its login instance (the workbench page needs it). */
const DINGTALK_AUTH_SERVICE = 'auths.loginTypes.DDInnerType.services.DDInnerAuthSvc';

export function registerPageRoutes(fastify: FastifyInstance, ctx: HostContext): void {
  fastify.get('/', async (request, reply) =>
    respondWithPage(ctx, request, reply, async (nonce) => {
      const caller = await authenticate(ctx.app, request);
      return renderHomePage(ctx.app, nonce, caller?.user ?? null);
    }),
  );

  fastify.get('/login', async (request, reply) =>
    respondWithPage(ctx, request, reply, async (nonce) => {
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
    respondWithPage(ctx, request, reply, async (nonce) => {
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
}

function needsDingTalk(instances: LoginInstanceView[]): boolean {
  return instances.some((i) => i.dingtalk);
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
