/**
 * A minimal cookie jar for tests that speak HTTP with fetch: what a browser does with Set-Cookie,
 * enough for the host's cookies (the session, and the browser key that binds login states and bind
 * tickets to one browser). Two jars are two browsers.
 *
 *   const jar = new CookieJar();
 *   const res = await fetch(url, { headers: jar.headers() });
 *   jar.take(res.headers);
 */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  /** `ignore`: cookies not to keep (e.g. the session, for a test that sends its token itself). */
  constructor(private readonly options: { ignore?: readonly string[] } = {}) {}

  /** Keeps the cookies a response set (a Max-Age=0 or an empty value deletes one). */
  take(headers: Headers | readonly string[]): this {
    const lines: readonly string[] = Array.isArray(headers) ? headers : (headers as Headers).getSetCookie();
    for (const line of lines) {
      const [pair, ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      if (at <= 0) continue;
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (this.options.ignore?.includes(name)) continue;
      const expired = attributes.some((a: string) => /^\s*max-age\s*=\s*0\s*$/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return this;
  }

  /** The Cookie header to send, merged into `headers` (empty when the jar is). */
  headers(headers: Record<string, string> = {}): Record<string, string> {
    if (this.cookies.size === 0) return headers;
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    return { ...headers, cookie: headers.cookie ? `${headers.cookie}; ${cookie}` : cookie };
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }
}
