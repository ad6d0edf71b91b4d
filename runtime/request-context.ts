/**
 * The caller of the operation under way: client address (after the proxy rules), user agent,
 * request id, the browser key (the HttpOnly cookie that binds login state and bind tickets to one
 * browser) and the current session. The HTTP host sets it once per request; library callers wrap a
 * call in `withRequestContext(ctx, fn)`. Public method signatures stay as they are: code deep in a
 * login (tickets, failure counters, audit rows) reads it with `currentRequestContext()`.
 */
import { AsyncLocalStorage } from 'async_hooks';

export interface RequestContext {
  /** The client's address as the host trusts it (see `--trust-proxy`); undefined outside a request. */
  clientAddress?: string;
  userAgent?: string;
  requestId?: string;
  /**
   * The browser key: a random secret in an HttpOnly, SameSite cookie. Login states and bind tickets
   * keep its digest and are refused when presented without it.
   */
  browserKey?: string;
  /** The id of the session the request came with, when it carries a live one. */
  sessionId?: string;
  /**
   * The origin people reach the host at (`publicUrl` / `jit serve --public-url`), when configured:
   * what an absolute URL of the host (a redirect URI) starts with. Undefined when unset.
   */
  publicOrigin?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` with `ctx` as the current request context (nested calls see the innermost). */
export function withRequestContext<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

/** The current request context; an empty one outside any request. */
export function currentRequestContext(): RequestContext {
  return storage.getStore() ?? {};
}

/**
 * Sets the context for the rest of the current asynchronous flow (a fastify onRequest hook, where
 * there is no callback to wrap). The object stays mutable so later hooks can add the session.
 */
export function enterRequestContext(ctx: RequestContext): RequestContext {
  storage.enterWith(ctx);
  return ctx;
}
