/**
 * One HTTP request over a real socket (fetch), for tests of the host and the simulator: the body as
 * JSON, a form, or raw bytes; redirects are not followed, so tests see them.
 */
export interface HttpResult {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  body: any;
  text: string;
}

export interface HttpOptions {
  json?: unknown;
  form?: Record<string, string>;
  raw?: string | Buffer;
  /** Sent as given; a content-type here wins over the one json/form would set. */
  headers?: Record<string, string>;
}

export async function http(base: string, method: string, urlPath: string, options: HttpOptions = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | Buffer | undefined;
  if (options.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  } else if (options.raw !== undefined) body = options.raw;
  const res = await fetch(base + urlPath, { method, headers, body: body as BodyInit | undefined, redirect: 'manual' });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}
