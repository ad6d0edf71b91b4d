/**
 * The console at /admin: server-rendered pages (GET) and a small JSON API under /admin/api. Every
 * request is gated (gate.ts: admins only, decided per request, under `sessions.adminIdleTimeout`);
 * every state-changing call is a JSON POST that must carry the session's CSRF token in
 * `x-csrf-token` (`config: { csrfToken: true }`) and, like every state change on this host, comes
 * from the host's own origin (csrf.ts refuses the rest before any handler runs).
 *
 *   GET  /admin                       overview          GET /admin/users[?q=]     search
 *   GET  /admin/users/<id>            one user          GET /admin/sync           corps and their runs
 *   GET  /admin/audit[?filters]       audit trail       GET /admin/config         effective config
 *   GET  /admin/elements              login instances   GET /admin/elements/new?type= | /edit/<fullName>
 *   POST /admin/api/users/<id>/(disable|enable|unlock|revoke-sessions)
 *   POST /admin/api/users/<id>/sessions/<sessionId>/revoke
 *   POST /admin/api/bindings/<id>/unbind
 *   POST /admin/api/sync/start {corp, dryRun}   GET /admin/api/sync/jobs/<id>
 *   POST /admin/api/elements/check | save {mode, fullName, type, title, config, stamp}
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isJitError, JitError } from '../errors';
import { mintCsrfToken } from '../http/csrf';
import { sendData } from '../http/envelope';
import { replyWithError, type HostContext } from '../http/host-context';
import type { PageLanguage } from '../http/page-language';
import { renderMessagePage } from '../http/pages/message-page';
import { respondWithPage } from '../http/routes/page-response';
import { fill } from '../i18n/words';
import { renderAuditPage } from './audit-page';
import { renderConfigPage } from './config-page';
import { checkDraft, newInstanceTarget, resolveTarget, saveDraft, type DraftInput } from './element-editor';
import { renderElementForm, renderElementsPage } from './elements-pages';
import { consoleAccess, requireAdmin, signInAddress } from './gate';
import { renderConsolePage, type ConsoleSection } from './layout';
import { renderOverview } from './overview-page';
import { SyncJobs } from './sync-jobs';
import { renderSyncPage } from './sync-page';
import { findUserOrFail, revokeSession, runUserAction, unbindAccount, USER_ACTIONS, type UserAction } from './user-actions';
import { renderUserPage, renderUsersPage } from './users-pages';
import type { Caller } from '../http/session-auth';

interface SectionView {
  section: ConsoleSection;
  heading: string;
  body: string;
  data?: Record<string, unknown>;
  scripts?: string[];
}

type SectionRenderer = (request: FastifyRequest, page: PageLanguage, caller: Caller) => Promise<SectionView>;

const WITH_TOKEN = { config: { csrfToken: true } } as const;

export function registerConsoleRoutes(fastify: FastifyInstance, ctx: HostContext): void {
  const { app } = ctx;
  const jobs = new SyncJobs(app);

  const page = (url: string, render: SectionRenderer) =>
    fastify.get(url, async (request, reply) =>
      respondWithPage(ctx, request, reply, async (nonce, language) => {
        const access = await consoleAccess(app, request);
        if (access.kind === 'anonymous') {
          reply.redirect(signInAddress(request), 302);
          return null;
        }
        if (access.kind === 'forbidden') {
          reply.code(403);
          const name = access.caller.user.displayName || access.caller.user.username;
          return renderMessagePage({ nonce, page: language, title: language.words['page.forbidden.title'], message: fill(language.words['console.forbidden'], { app: app.title, name }), link: { href: '/', text: language.words['page.home'] } });
        }
        let view: SectionView;
        try {
          view = await render(request, language, access.caller);
        } catch (err) {
          if (!isJitError(err) || err.status >= 500) throw err;
          reply.code(err.status);
          return renderMessagePage({ nonce, page: language, title: language.words['page.failed.title'], message: err.message, link: { href: '/admin', text: language.words['console.nav.overview'] } });
        }
        return renderConsolePage({ app, nonce, page: language, caller: access.caller, csrfToken: await mintCsrfToken(app, request), ...view });
      }),
    );

  page('/admin', async (_request, language) => ({ section: 'overview', heading: language.words['console.nav.overview'], body: await renderOverview(app, language) }));
  page('/admin/users', async (request, language) => ({
    section: 'users',
    heading: language.words['console.nav.users'],
    body: await renderUsersPage(app, language, textQuery(request, 'q')),
  }));
  page('/admin/users/:id', async (request, language, caller) => {
    const user = await findUserOrFail(app, (request.params as { id: string }).id);
    return { section: 'users', heading: user.displayName || user.username, body: await renderUserPage(app, language, caller, user) };
  });
  page('/admin/sync', async (_request, language) => ({ section: 'sync', heading: language.words['console.nav.sync'], body: await renderSyncPage(app, language) }));
  page('/admin/audit', async (request, language) => ({ section: 'audit', heading: language.words['console.nav.audit'], body: await renderAuditPage(app, language, request.query as Record<string, unknown>) }));
  page('/admin/config', async (_request, language) => ({ section: 'config', heading: language.words['console.nav.config'], body: renderConfigPage(app, language) }));
  page('/admin/elements', async (_request, language) => ({ section: 'elements', heading: language.words['console.nav.elements'], body: renderElementsPage(app, language) }));
  page('/admin/elements/new', async (request, language) => {
    const form = renderElementForm(app, language, newInstanceTarget(app, textQuery(request, 'type')));
    return { section: 'elements', heading: form.heading, body: form.body, data: form.data, scripts: ['/assets/jit/admin-form.js'] };
  });
  page('/admin/elements/edit/:fullName', async (request, language) => {
    const target = resolveTarget(app, { mode: 'edit', fullName: (request.params as { fullName: string }).fullName });
    const form = renderElementForm(app, language, target);
    return { section: 'elements', heading: form.heading, body: form.body, data: form.data, scripts: ['/assets/jit/admin-form.js'] };
  });

  const api = (method: 'GET' | 'POST', url: string, handle: (request: FastifyRequest, caller: Caller) => Promise<unknown>) =>
    fastify.route({
      method,
      url,
      ...(method === 'POST' ? WITH_TOKEN : {}),
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        try {
          const caller = await requireAdmin(app, request);
          return sendData(reply, await handle(request, caller));
        } catch (err) {
          return replyWithError(ctx, request, reply, err);
        }
      },
    });

  api('POST', '/admin/api/users/:id/:action', async (request, caller) => {
    const { id, action } = request.params as { id: string; action: string };
    if (!(USER_ACTIONS as readonly string[]).includes(action)) throw new JitError('NOT_FOUND', `No user action ${action.slice(0, 40)}: ${USER_ACTIONS.join(', ')}`);
    return runUserAction(app, caller, id, action as UserAction);
  });
  api('POST', '/admin/api/users/:id/sessions/:sessionId/revoke', async (request, caller) => {
    const { id, sessionId } = request.params as { id: string; sessionId: string };
    return revokeSession(app, caller, id, sessionId);
  });
  api('POST', '/admin/api/bindings/:id/unbind', async (request, caller) => unbindAccount(app, caller, (request.params as { id: string }).id));
  api('POST', '/admin/api/sync/start', async (request, caller) => {
    const body = bodyOf(request);
    return jobs.start(caller, body.corp as string, body.dryRun === true);
  });
  api('GET', '/admin/api/sync/jobs/:id', async (request) => jobs.get((request.params as { id: string }).id));
  api('POST', '/admin/api/elements/check', async (request) => {
    const { diagnostics, secrets, files } = checkDraft(app, draftInput(request));
    return { diagnostics, secrets, files };
  });
  api('POST', '/admin/api/elements/save', async (request, caller) => saveDraft(app, caller, draftInput(request)));
}

function textQuery(request: FastifyRequest, name: string): string {
  const value = (request.query as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.slice(0, 200) : '';
}

function bodyOf(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new JitError('BAD_REQUEST', 'The body must be a JSON object');
  return body as Record<string, unknown>;
}

function draftInput(request: FastifyRequest): DraftInput {
  const body = bodyOf(request);
  const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : '');
  return {
    mode: body.mode === 'edit' ? 'edit' : body.mode === 'create' ? 'create' : (text('mode') as DraftInput['mode']),
    fullName: text('fullName'),
    type: text('type'),
    title: text('title'),
    config: body.config as Record<string, unknown> | undefined,
    stamp: text('stamp') || undefined,
  };
}
