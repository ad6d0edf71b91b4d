/**
 * The pages: `/` (who is signed in), `/login` (every active login instance) and `/login/workbench`
 * (opened inside DingTalk: logs in without a click). The redirect flow's callback is in
 * login-callback.ts; the console is runtime/console. Every page speaks the request's language.
 */
import type { FastifyInstance } from 'fastify';
import { adminResolvers } from '../../contributions';
import { decideAdmin } from '../../auth/admins';
import { dingtalkPageScript } from '../dingtalk-scripts';
import type { HostContext } from '../host-context';
import { authenticate } from '../session-auth';
import { plainWords } from '../pages/error-words';
import { renderHomePage } from '../pages/home-page';
import { activeLoginInstances, isActiveLoginInstance, loginInstanceView, type LoginInstanceView } from '../pages/login-instances';
import { renderLoginPage } from '../pages/login-page';
import { renderMessagePage } from '../pages/message-page';
import { rememberReturnPath, safeNext } from '../return-path';
import { respondWithPage } from './page-response';

export { safeNext } from '../return-path';

/** The service that resolves a corpId to its login instance (the workbench page needs it). */
const DINGTALK_AUTH_SERVICE = 'auths.loginTypes.DDInnerType.services.DDInnerAuthSvc';

export function registerPageRoutes(fastify: FastifyInstance, ctx: HostContext): void {
  fastify.get('/', async (request, reply) =>
    respondWithPage(ctx, request, reply, async (nonce, page) => {
      const caller = await authenticate(ctx.app, request);
      const admin = caller ? (await decideAdmin(ctx.app, caller.user, adminResolvers(ctx.app))).admin : false;
      return renderHomePage(ctx.app, nonce, page, caller?.user ?? null, admin);
    }),
  );

  fastify.get('/login', async (request, reply) =>
    respondWithPage(ctx, request, reply, async (nonce, page) => {
      const instances = activeLoginInstances(ctx.app);
      const caller = await authenticate(ctx.app, request);
      const next = safeNext((request.query as Record<string, unknown>).next);
      rememberReturnPath(ctx.app, request, reply, next);
      return renderLoginPage({
        app: ctx.app,
        nonce,
        page,
        instances,
        vendorScripts: needsDingTalk(instances) ? [dingtalkPageScript(ctx, 'ddLogin')] : [],
        user: caller?.user ?? null,
        next,
        mode: 'login',
      });
    }),
  );

  fastify.get('/login/workbench', async (request, reply) =>
    respondWithPage(ctx, request, reply, async (nonce, page) => {
      const corpId = (request.query as Record<string, unknown>).corpId;
      if (typeof corpId !== 'string' || corpId.trim() === '' || corpId.length > 128) {
        reply.code(400);
        return renderMessagePage({ nonce, page, title: page.words['login.cannot.title'], message: page.words['login.workbenchOnly'] });
      }
      const instance = workbenchInstance(ctx, corpId);
      if (!instance) {
        reply.code(404);
        return renderMessagePage({ nonce, page, title: page.words['login.cannot.title'], message: plainWords('CORP_NOT_CONFIGURED', '', ctx.app.title, page.language, ctx.app.errorCodes) });
      }
      return renderLoginPage({
        app: ctx.app,
        nonce,
        page,
        instances: [instance],
        vendorScripts: [dingtalkPageScript(ctx, 'dingtalkJsapi')],
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
