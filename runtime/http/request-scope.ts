/**
 * The request context of every request (runtime/request-context.ts): the client address after the
 * proxy rules, user agent, request id, browser key, the configured public origin and, once a live
 * session is found, its id. Built in an onRequest hook and made current around every route handler
 * (`withRequestContext`), so everything a handler awaits, down to a login's store calls, sees it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { AppHandle } from '../app-types';
import { withRequestContext, type RequestContext } from '../request-context';
import { readBrowserKey } from './browser-key';
import { normalizeAddress } from './client-address';
import { configuredPublicOrigin } from './public-origin';

const contexts = new WeakMap<FastifyRequest, RequestContext>();

/** The request's context (the same object handlers see, so filling it in later is seen too). */
export function requestContextOf(request: FastifyRequest): RequestContext {
  let context = contexts.get(request);
  if (!context) {
    // A request answered before the hooks ran (a malformed URL): the basics, no browser key.
    context = { clientAddress: normalizeAddress(request.ip), requestId: request.id };
    contexts.set(request, context);
  }
  return context;
}

/** Runs `fn` with the request's context current. */
export function inRequestContext<T>(request: FastifyRequest, fn: () => T): T {
  return withRequestContext(requestContextOf(request), fn);
}

/**
 * Builds each request's context (register after @fastify/cookie, which parses the Cookie header) and
 * wraps the handler of every route registered afterwards. `publicUrlFlag` is `--public-url`.
 */
export function registerRequestScope(fastify: FastifyInstance, app: AppHandle, publicUrlFlag: string | undefined): void {
  fastify.addHook('onRequest', async (request) => {
    const userAgent = request.headers['user-agent'];
    contexts.set(request, {
      clientAddress: normalizeAddress(request.ip),
      userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 512) : undefined,
      requestId: request.id,
      browserKey: readBrowserKey(request),
      publicOrigin: configuredPublicOrigin(app, publicUrlFlag),
    });
  });
  fastify.addHook('onRoute', (route) => {
    const handler = route.handler as RouteHandlerMethod;
    route.handler = function scopedHandler(this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
      return inRequestContext(request, () => handler.call(this, request, reply));
    } as RouteHandlerMethod;
  });
}
