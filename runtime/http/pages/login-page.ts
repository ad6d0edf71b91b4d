/**
 * `/login` and `/login/workbench`: server-rendered shells listing the login instances; the shared
 * client (assets/jit-login.js) mounts each instance's panel script into its section. The page data
 * carries the words of the page's language: the client's own, the error words, and each panel's
 * (contributed by its Type, see runtime/contributions.ts).
 */
import type { AppHandle } from '../../app-types';
import type { LocalUser } from '../../auth/types';
import { typeContribution } from '../../contributions';
import { fill, wordsWithPrefix } from '../../i18n/words';
import { apiPrefix } from '../function-routes';
import { shellOf, type PageLanguage } from '../page-language';
import { escapeHtml, fillHtml, renderPage, type PageScript } from './html';
import type { LoginInstanceView } from './login-instances';

export interface LoginPageInput {
  app: AppHandle;
  nonce: string;
  page: PageLanguage;
  instances: LoginInstanceView[];
  /** Third-party scripts the panels need (with their integrity hashes when pinned), loaded before them. */
  vendorScripts: PageScript[];
  /** Who is signed in already, if anyone. */
  user: LocalUser | null;
  /** Where to go after signing in (a same-origin path), if the page was opened with ?next=. */
  next: string | null;
  /** `login`, or the name of a login Type's own sign-in page (`/login/<name>`). */
  mode: string;
  /** The word key of the heading; default `login.heading`. */
  heading?: string;
  /** What a Type's own sign-in page hands its panel (e.g. the organisation it was opened for). */
  pageData?: Record<string, unknown>;
  /** The redirect callback's BIND_REQUIRED result, with its instance: the panel opens the bind form. */
  pendingBind?: Record<string, unknown>;
}

/** The shared element builder, then the login client (deferred scripts run in this order). */
const CLIENT_SCRIPTS = ['/assets/jit/jit-dom.js', '/assets/jit/jit-login.js'];

export function renderLoginPage(input: LoginPageInput): string {
  const { app, instances, page } = input;
  const words = page.words;
  const headingWord = (input.heading && (words as Record<string, string>)[input.heading]) || words['login.heading'];
  const heading = fill(headingWord, { app: app.title });
  const signedIn = input.user
    ? `<p class="jit-banner" data-role="signed-in-banner">${fillHtml(words['login.signedInBanner'], { name: `<strong>${escapeHtml(input.user.displayName || input.user.username)}</strong>` })} <a href="${escapeHtml(input.next ?? '/')}">${escapeHtml(words['login.continue'])}</a></p>`
    : '';
  const sections = instances.length
    ? instances.map((instance, i) => renderInstance(instance, i, page)).join('\n')
    : `<p class="jit-empty">${escapeHtml(words['login.none'])}</p>`;
  const panelScripts = [...new Set(instances.map((i) => i.panel?.script).filter((s): s is string => !!s))];
  return renderPage({
    ...shellOf(page),
    title: heading,
    nonce: input.nonce,
    body: `<h1>${escapeHtml(heading)}</h1>\n${signedIn}\n<div class="jit-instances">\n${sections}\n</div>\n<noscript><p class="jit-error">${escapeHtml(words['login.needsJavaScript'])}</p></noscript>`,
    scripts: [...CLIENT_SCRIPTS, ...input.vendorScripts, ...panelScripts],
    data: {
      // A Type's page data first: the runtime's own keys below always win.
      ...input.pageData,
      mode: input.mode,
      language: page.language,
      app: { appId: app.appId, title: app.title },
      apiPrefix: apiPrefix(app),
      instances,
      next: input.next,
      pendingBind: input.pendingBind ?? null,
      words: page.errorWords,
      text: wordsWithPrefix(words, ['login.']),
      panelWords: panelWordsOf(app, instances, page),
    },
  });
}

/** Each panel Type's words in the page's language (English when it has none of that language). */
function panelWordsOf(app: AppHandle, instances: LoginInstanceView[], page: PageLanguage): Record<string, Readonly<Record<string, string>>> {
  const words: Record<string, Readonly<Record<string, string>>> = {};
  for (const type of new Set(instances.map((i) => i.panel?.type).filter((t): t is string => !!t))) {
    const catalogs = typeContribution(app, type)?.panelWords;
    const chosen = catalogs?.[page.language] ?? catalogs?.en;
    if (chosen) words[type] = chosen;
  }
  return words;
}

function renderInstance(instance: LoginInstanceView, index: number, page: PageLanguage): string {
  const id = `jit-login-${index}`;
  return `<section class="jit-login" id="${id}" aria-labelledby="${id}-title" data-instance="${escapeHtml(instance.fullName)}">
  <h2 id="${id}-title">${escapeHtml(instance.title)}</h2>
  <div class="jit-login-body" data-role="panel"><p class="jit-muted">${escapeHtml(page.words['page.loading'])}</p></div>
  <p class="jit-status" data-role="status" role="status" aria-live="polite"></p>
</section>`;
}
