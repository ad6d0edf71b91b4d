/**
 * The language of each page (runtime/i18n/language.ts decides: `?lang=`, which is then remembered in
 * the language cookie, else that cookie, else Accept-Language, else app.json `defaultLanguage`), its
 * words, and the links that switch it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppHandle } from '../app-types';
import { contributedWords } from '../contributions';
import { chooseLanguage, LANGUAGE_COOKIE, LANGUAGES } from '../i18n/language';
import { wordsFor, type Words } from '../i18n/words';
import type { Language } from '../settings';
import { cookieOptions } from './cookie-policy';
import { errorWordsFor } from './pages/error-words';
import type { PageParts } from './pages/html';
import { requestContextOf } from './request-scope';

/** A year: a language choice is a preference, not a secret. */
const LANGUAGE_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

export interface PageLanguage {
  language: Language;
  words: Words;
  /** The words of every code a page may show: the runtime's and the app's Types' (through its registry). */
  errorWords: Readonly<Record<string, string>>;
  /** Every language with the address of this page in it. */
  switchLinks: Array<{ language: Language; name: string; href: string }>;
}

export function pageLanguageOf(app: AppHandle, request: FastifyRequest, reply: FastifyReply): PageLanguage {
  const query = (request.query as Record<string, unknown> | undefined)?.lang;
  const { language, chosen } = chooseLanguage({
    query,
    cookie: request.cookies?.[LANGUAGE_COOKIE],
    acceptLanguage: typeof request.headers['accept-language'] === 'string' ? request.headers['accept-language'] : undefined,
    defaultLanguage: app.settings.defaultLanguage,
  });
  if (chosen) reply.setCookie(LANGUAGE_COOKIE, language, cookieOptions(app, request, requestContextOf(request).publicOrigin, LANGUAGE_COOKIE_MAX_AGE_SECONDS));
  reply.header('content-language', language);
  return languageView(language, request.url, app);
}

/**
 * The words and switch links of `language` for the page at `url` (a path with its query). With the
 * app, its Types' words (HostContribution.words) replace the runtime's of the same key, and its
 * registry adds its Types' error words.
 */
export function languageView(language: Language, url = '/', app?: AppHandle): PageLanguage {
  return {
    language,
    words: app ? { ...wordsFor(language), ...contributedWords(app, language) } : wordsFor(language),
    errorWords: errorWordsFor(language, app?.errorCodes),
    switchLinks: LANGUAGES.map((other) => ({ language: other, name: wordsFor(other)['lang.name'], href: withLanguage(url, other) })),
  };
}

/**
 * The same page in another language. The redirect callback's address carries a spent code and
 * state: its switch goes to the sign-in page instead.
 */
function withLanguage(url: string, language: Language): string {
  const parsed = new URL(url, 'http://host.invalid');
  if (parsed.pathname.startsWith('/login/callback/')) return `/login?lang=${encodeURIComponent(language)}`;
  parsed.searchParams.set('lang', language);
  return parsed.pathname + parsed.search;
}

/** The parts of a page's shell that say its language. */
export function shellOf(page: PageLanguage): Pick<PageParts, 'language' | 'languageLinks' | 'languageLabel'> {
  return { language: page.language, languageLinks: page.switchLinks, languageLabel: page.words['lang.switch'] };
}
