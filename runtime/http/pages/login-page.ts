/**
 * `/login` and `/login/workbench`: server-rendered shells listing the login instances; the shared
 * client (assets/jit-login.js) mounts each instance's panel script into its section.
 */
import type { AppHandle } from '../../app-types';
import type { LocalUser } from '../../auth/types';
import { apiPrefix } from '../function-routes';
import { ERROR_WORDS } from './error-words';
import { escapeHtml, renderPage } from './html';
import type { LoginInstanceView } from './login-instances';

export interface LoginPageInput {
  app: AppHandle;
  nonce: string;
  instances: LoginInstanceView[];
  /** Third-party scripts the panels need, loaded before them. */
  vendorScripts: string[];
  /** Who is signed in already, if anyone. */
  user: LocalUser | null;
  /** Where to go after signing in (a same-origin path), if the page was opened with ?next=. */
  next: string | null;
  mode: 'login' | 'workbench';
  /** For the workbench page: the organisation DingTalk opened it for. */
  corpId?: string;
  /** The redirect callback's BIND_REQUIRED result, with its instance: the panel opens the bind form. */
  pendingBind?: Record<string, unknown>;
}

const CLIENT_SCRIPT = '/assets/jit/jit-login.js';

export function renderLoginPage(input: LoginPageInput): string {
  const { app, instances } = input;
  const heading = input.mode === 'workbench' ? `Signing in to ${app.title}` : `Sign in to ${app.title}`;
  const signedIn = input.user
    ? `<p class="jit-banner" data-role="signed-in-banner">You are signed in as <strong>${escapeHtml(input.user.displayName || input.user.username)}</strong>. <a href="/">Continue</a></p>`
    : '';
  const sections = instances.length
    ? instances.map((instance, i) => renderInstance(instance, i)).join('\n')
    : '<p class="jit-empty">No sign-in method is set up for this app yet. Ask your administrator.</p>';
  const panelScripts = [...new Set(instances.map((i) => i.panel?.script).filter((s): s is string => !!s))];
  return renderPage({
    title: heading,
    nonce: input.nonce,
    body: `<h1>${escapeHtml(heading)}</h1>\n${signedIn}\n<div class="jit-instances">\n${sections}\n</div>\n<noscript><p class="jit-error">Signing in needs JavaScript. Please enable it and reload.</p></noscript>`,
    scripts: [CLIENT_SCRIPT, ...input.vendorScripts, ...panelScripts],
    data: {
      mode: input.mode,
      app: { appId: app.appId, title: app.title },
      apiPrefix: apiPrefix(app),
      instances,
      next: input.next,
      corpId: input.corpId ?? null,
      pendingBind: input.pendingBind ?? null,
      words: ERROR_WORDS,
    },
  });
}

function renderInstance(instance: LoginInstanceView, index: number): string {
  const id = `jit-login-${index}`;
  return `<section class="jit-login" id="${id}" aria-labelledby="${id}-title" data-instance="${escapeHtml(instance.fullName)}">
  <h2 id="${id}-title">${escapeHtml(instance.title)}</h2>
  <div class="jit-login-body" data-role="panel"><p class="jit-muted">Loading…</p></div>
  <p class="jit-status" data-role="status" role="status" aria-live="polite"></p>
</section>`;
}
