/**
 * Which web pages may use the dingtalk.js stand-in (mint workbench codes, list a corp's members):
 * the stand-in of DingTalk's rule that `requestAuthCode` works only on a page whose domain is an app's
 * home page in that corp (client error 3 otherwise; docs/dingtalk-facts.md §4a). Loopback origins (an app
 * served from this machine, as in development and tests) always may; others only when configured
 * (`pageOrigins`, `allowPageOrigin`). Any other web page open in the developer's browser may not.
 */
export class PageOrigins {
  private readonly extra = new Set<string>();

  constructor(origins: readonly string[] = []) {
    for (const origin of origins) this.allow(origin);
  }

  /** Adds an origin like `https://app.example.com`; throws a RangeError for anything else. */
  allow(origin: string): void {
    const parsed = parseOrigin(origin);
    if (!parsed) throw new RangeError(`pageOrigins: "${origin}" is not an origin like https://app.example.com (scheme, host and optional port, no path)`);
    this.extra.add(parsed.origin);
  }

  /** True for the `Origin` header of a page that may use the stand-in. */
  allows(origin: string | undefined): boolean {
    const parsed = origin ? parseOrigin(origin) : undefined;
    if (!parsed) return false;
    return isLoopback(parsed.hostname) || this.extra.has(parsed.origin);
  }

  list(): string[] {
    return [...this.extra];
  }
}

/** An http(s) origin exactly (no path, query or credentials), else undefined. */
function parseOrigin(value: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return url.origin === value.replace(/\/$/, '').toLowerCase() ? url : undefined;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}
