/**
 * The HTML shell every host page shares: one stylesheet, deferred scripts carrying the response's
 * CSP nonce, and page data as a JSON block (never executed, so CSP needs no inline-script allowance).
 */

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON safe to embed in a <script type="application/json"> block. */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export interface PageParts {
  title: string;
  nonce: string;
  /** Trusted HTML (build it with escapeHtml). */
  body: string;
  /** Script URLs in execution order; all deferred. */
  scripts?: string[];
  /** Data for the page scripts, readable as JSON from #jit-page-data. */
  data?: unknown;
}

export function renderPage(parts: PageParts): string {
  const scripts = (parts.scripts ?? []).map((src) => `  <script defer nonce="${escapeHtml(parts.nonce)}" src="${escapeHtml(src)}"></script>`).join('\n');
  const data = parts.data === undefined ? '' : `  <script type="application/json" id="jit-page-data">${embedJson(parts.data)}</script>\n`;
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(parts.title)}</title>
  <link rel="stylesheet" href="/assets/jit/jit.css">
${data}${scripts}
</head>
<body>
<main class="jit-page">
${parts.body}
</main>
</body>
</html>
`;
}
