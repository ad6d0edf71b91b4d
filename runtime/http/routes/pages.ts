/**
 * The pages: `/` (who is signed in), `/login` (every active login instance) and the sign-in pages
 * login Types contribute, `/login/<name>` for one instance the query names (the DingTalk login's
 * `/login/workbench`, opened inside DingTalk: logs in without a click; runtime/contributions.ts).
 * The redirect flow's callback is in login-callback.ts; the console is runtime/console. Every page
 * speaks the request's language.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { adminResolvers, contributedLoginPages, type LoginPageRefusal } from '../../contributions';
import { decideAdmin } from '../../auth/admins';
import type { HostContext } from '../host-context';
import { loginScriptsFor, scriptsNamed } from '../page-needs';
import type { PageLanguage } from '../page-language';
import { authenticate } from '../session-auth';
import { plainWords } from '../pages/error-words';
import { renderHomePage } from '../pages/home-page';
import { activeLoginInstances, isActiveLoginInstance, loginInstanceView } from '../pages/login-instances';
import { renderLoginPage } from '../pages/login-page';
import { renderMessagePage } from '../pages/message-page';
import { rememberReturnPath, safeNext } from '../return-path';
import { respondWithPage } from './page-response';

export { safeNext } from '../return-path';

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
        vendorScripts: loginScriptsFor(ctx.app, ctx, instances),
        user: caller?.user ?? null,
        next,
        mode: 'login',
      });
    }),
  );

  // The contributed pages present when the host starts; each request asks the Types again.
  for (const name of contributedLoginPages(ctx.app).keys()) {
    if (!/^[a-z][a-z0-9-]*$/.test(name) || name === 'callback') continue;
    fastify.get(`/login/${name}`, async (request, reply) => respondWithPage(ctx, request, reply, async (nonce, page) => contributedLoginPage(ctx, name, request.query as Record<string, unknown>, reply, nonce, page)));
  }
}

/** `/login/<name>`: the contributed page's one instance, in mode `<name>`, or its refusal in plain words. */
function contributedLoginPage(ctx: HostContext, name: string, query: Record<string, unknown>, reply: FastifyReply, nonce: string, page: PageLanguage): string {
  const contributed = contributedLoginPages(ctx.app).get(name)?.page;
  if (!contributed) {
    reply.code(404);
    return renderMessagePage({ nonce, page, title: page.words['page.notFound.title'], message: page.words['page.notFound.message'], link: { href: '/', text: page.words['page.home'] } });
  }
  const refuse = (refusal: LoginPageRefusal) => {
    reply.code(refusal.status);
    const message = refusal.word ? (page.words as Record<string, string>)[refusal.word] ?? refusal.word : plainWords(refusal.code ?? 'NOT_FOUND', '', ctx.app.title, page.language, ctx.app.errorCodes);
    return renderMessagePage({ nonce, page, title: page.words['login.cannot.title'], message });
  };
  const chosen = contributed.choose(ctx.app, query);
  if ('refuse' in chosen) return refuse(chosen.refuse);
  const definition = chosen.instance ? ctx.app.getDefinition(chosen.instance) : undefined;
  if (!definition || !isActiveLoginInstance(definition)) return refuse(contributed.noInstance);
  return renderLoginPage({
    app: ctx.app,
    nonce,
    page,
    instances: [loginInstanceView(ctx.app, definition)],
    vendorScripts: scriptsNamed(ctx, contributed.scripts ?? []),
    user: null,
    next: safeNext(query.next),
    mode: name,
    heading: contributed.heading,
    pageData: chosen.data,
  });
}
