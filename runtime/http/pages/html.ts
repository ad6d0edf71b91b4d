/**
 * The HTML shell every host page shares: one stylesheet, deferred scripts carrying the response's
 * CSP nonce, page data as a JSON block (never executed, so CSP needs no inline-script allowance),
 * `<html lang>` saying the page's language, and the links that switch it.
 */
import type { Language } from '../../settings';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON safe to embed in a <script type="application/json"> block. */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * Words with `{key}` marks as HTML: the words are escaped, each mark replaced by the given HTML
 * (which the caller built with escapeHtml).
 */
export function fillHtml(words: string, html: Record<string, string>): string {
  return escapeHtml(words).replace(/\{([A-Za-z]+)\}/g, (mark, key: string) => (key in html ? html[key] : mark));
}

export interface LanguageLink {
  language: Language;
  /** The language's own name (中文, English). */
  name: string;
  href: string;
}

/**
 * A script tag's source, and its subresource integrity hash when pinned: the tag then says
 * `crossorigin="anonymous"` too, since a browser checks integrity only on a CORS response (a
 * third-party script fetched without CORS and an integrity attribute is refused outright).
 */
export interface PageScript {
  src: string;
  integrity?: string;
}

export interface PageParts {
  title: string;
  nonce: string;
  /** Trusted HTML (build it with escapeHtml). */
  body: string;
  /** Scripts (URLs, or with an integrity hash) in execution order; all deferred. */
  scripts?: Array<string | PageScript>;
  /** Data for the page scripts, readable as JSON from #jit-page-data. */
  data?: unknown;
  /** The page's language (`<html lang>`); default en. */
  language?: Language;
  /** Links to the same page in each language, shown at the top. */
  languageLinks?: LanguageLink[];
  /** The label of the language links (for screen readers). */
  languageLabel?: string;
  /** Extra classes of <main> (the console is wider). */
  mainClass?: string;
}

export function renderPage(parts: PageParts): string {
  const scripts = (parts.scripts ?? []).map((script) => scriptTag(script, parts.nonce)).join('\n');
  const data = parts.data === undefined ? '' : `  <script type="application/json" id="jit-page-data">${embedJson(parts.data)}</script>\n`;
  const language = parts.language ?? 'en';
  return `<!doctype html>
<html lang="${escapeHtml(language)}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(parts.title)}</title>
  <link rel="stylesheet" href="/assets/jit/jit.css">
${data}${scripts}
</head>
<body>
<main class="jit-page${parts.mainClass ? ` ${escapeHtml(parts.mainClass)}` : ''}">
${languageSwitch(language, parts.languageLinks, parts.languageLabel)}${parts.body}
</main>
</body>
</html>
`;
}

function scriptTag(script: string | PageScript, nonce: string): string {
  const { src, integrity } = typeof script === 'string' ? { src: script, integrity: undefined } : script;
  const checked = integrity ? ` integrity="${escapeHtml(integrity)}" crossorigin="anonymous"` : '';
  return `  <script defer nonce="${escapeHtml(nonce)}" src="${escapeHtml(src)}"${checked}></script>`;
}

function languageSwitch(current: Language, links: LanguageLink[] | undefined, label = 'Language'): string {
  if (!links?.length) return '';
  const items = links.map((link) =>
    link.language === current
      ? `<span lang="${escapeHtml(link.language)}" aria-current="true">${escapeHtml(link.name)}</span>`
      : `<a href="${escapeHtml(link.href)}" lang="${escapeHtml(link.language)}" hreflang="${escapeHtml(link.language)}" data-role="language-${escapeHtml(link.language)}">${escapeHtml(link.name)}</a>`,
  );
  return `<nav class="jit-languages" aria-label="${escapeHtml(label)}">${items.join(' <span aria-hidden="true">·</span> ')}</nav>\n`;
}
