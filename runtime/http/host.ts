/**
 * The HTTP host of one app: element functions (JitAi-style addresses), the session routes, the
 * login pages and /healthz, on fastify 5. Every answer carries security headers, every request is
 * logged once, and no input can make a handler throw past the envelope.
 *
 *   const host = createHost(app, { scripts: { ddLogin: `${sim.url}/standins/ddlogin.js`, ... } });
 *   const url = await host.listen(3000, '127.0.0.1');
 *   ...
 *   await host.close(); // stops accepting, lets in-flight requests finish
 */
import { randomBytes } from 'crypto';

/** Request ids for the log: a random per-process prefix and a counter (cheaper than random bytes per request). */
const REQUEST_ID_PREFIX = randomBytes(4).toString('hex');
let requestCounter = 0;
const nextRequestId = (): string => `${REQUEST_ID_PREFIX}-${(++requestCounter).toString(36)}`;
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { AppHandle } from '../app-types';
import { JitError } from '../errors';
import type { Logger } from '../logger';
import { answerClientError } from './client-errors';
import { sendJson } from './envelope';
import { fromFastifyError } from './fastify-errors';
import { replyWithError, type HostContext, type PageScripts } from './host-context';
import { LoginRateLimiter, type LoginRateLimitOptions } from './login-rate-limit';
import { renderMessagePage } from './pages/message-page';
import { registerRequestLog } from './request-log';
import { registerAssetRoutes } from './routes/assets';
import { registerFunctionRoutes } from './routes/functions';
import { registerLoginCallbackRoute } from './routes/login-callback';
import { respondWithPage } from './routes/page-response';
import { registerPageRoutes } from './routes/pages';
import { registerSessionRoutes } from './routes/session';
import { originOf, setBaseSecurityHeaders, type PageOrigins } from './security-headers';

/** DingTalk's production scripts: the QR frame and the JSAPI (requestAuthCode). */
export const DINGTALK_SCRIPTS: PageScripts = Object.freeze({
  ddLogin: 'https://g.alicdn.com/dingding/h5-dingtalk-login/0.21.0/ddlogin.js',
  dingtalkJsapi: 'https://g.alicdn.com/dingding/dingtalk-jsapi/3.0.42/dingtalk.open.js',
});

export const DEFAULT_BODY_LIMIT = 64 * 1024;

export interface HostOptions {
  /** Where request lines and errors go; default the app's logger. */
  logger?: Logger;
  /** Largest accepted request body in bytes (default 64 KiB); larger is 413 PAYLOAD_TOO_LARGE. */
  bodyLimit?: number;
  /** Per-address limit on the login functions and the redirect callback. */
  loginRateLimit?: LoginRateLimitOptions;
  /** Trust X-Forwarded-* from a reverse proxy (client address, https): fastify's trustProxy. */
  trustProxy?: boolean | string | string[];
  /** The DingTalk scripts pages load; default DingTalk's CDN, the simulator's stand-ins under --sim. */
  scripts?: Partial<PageScripts>;
}

export interface Host {
  readonly fastify: FastifyInstance;
  /** The base URL once listening (e.g. http://127.0.0.1:3000), else null. */
  readonly url: string | null;
  /** Starts listening; port 0 picks a free one. Resolves to the base URL. */
  listen(port?: number, host?: string): Promise<string>;
  /** Stops accepting connections and waits for in-flight requests (safe to call twice). Does not close the app. */
  close(): Promise<void>;
}

export function createHost(app: AppHandle, options: HostOptions = {}): Host {
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const scripts: PageScripts = { ...DINGTALK_SCRIPTS, ...options.scripts };
  const ctx: HostContext = {
    app,
    logger: options.logger ?? app.logger,
    rateLimiter: new LoginRateLimiter(options.loginRateLimit),
    scripts,
    origins: pageOrigins(app, scripts),
  };

  const fastify = Fastify({
    logger: false,
    bodyLimit,
    trustProxy: options.trustProxy ?? false,
    genReqId: nextRequestId,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    clientErrorHandler: answerClientError,
    frameworkErrors: (err, request, reply) => {
      setBaseSecurityHeaders(reply);
      replyWithError(ctx, request, reply, fromFastifyError(err, bodyLimit));
    },
  });

  acceptJsonOnly(fastify);
  fastify.addHook('onRequest', async (request, reply) => {
    setBaseSecurityHeaders(reply);
    reply.header('x-request-id', request.id);
  });
  registerRequestLog(fastify, ctx.logger);
  fastify.setErrorHandler((err, request, reply) => replyWithError(ctx, request, reply, fromFastifyError(err, bodyLimit)));
  fastify.setNotFoundHandler((request, reply) => notFound(ctx, request, reply));

  fastify.get('/healthz', async (_request, reply) => sendJson(reply, 200, { status: 'ok' }));
  registerSessionRoutes(fastify, ctx);
  registerFunctionRoutes(fastify, ctx);
  registerPageRoutes(fastify, ctx);
  registerLoginCallbackRoute(fastify, ctx);
  registerAssetRoutes(fastify, ctx);

  let url: string | null = null;
  let closing: Promise<void> | null = null;
  // Responses finished while closing end their keep-alive connection, so close() does not wait
  // for the client's idle socket to time out.
  fastify.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
  return {
    fastify,
    get url() {
      return url;
    },
    async listen(port = 0, host = '127.0.0.1') {
      await fastify.listen({ port, host });
      const address = fastify.server.address();
      const actualPort = typeof address === 'object' && address ? address.port : port;
      url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
      return url;
    },
    close() {
      closing ??= fastify.close().then(() => {
        url = null;
      });
      return closing;
    },
  };
}

/**
 * Bodies are JSON only: any other content type (text/plain, forms) is refused, which also keeps
 * cross-site "simple" requests away from the API. A POST without a body may still say
 * Content-Type: application/json; treat it as `{}`.
 */
function acceptJsonOnly(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && body.trim() === '') return done(null, {});
    parseJson(request, body as string, done);
  });
}

function notFound(ctx: HostContext, request: FastifyRequest, reply: FastifyReply): FastifyReply | Promise<FastifyReply> {
  const wantsPage = request.method === 'GET' && !request.url.startsWith('/api/') && /text\/html/.test(String(request.headers.accept ?? ''));
  if (wantsPage) {
    reply.code(404);
    return respondWithPage(ctx, request, reply, async (nonce) =>
      renderMessagePage(nonce, 'Page not found', 'There is no page at this address.', { href: '/', text: 'Home' }),
    );
  }
  const hint = request.url.startsWith('/api/') ? ' Element functions are called with POST /api/<orgId>/<appName>/<element path>/<function>.' : '';
  return replyWithError(ctx, request, reply, new JitError('NOT_FOUND', `No such route.${hint}`));
}

function pageOrigins(app: AppHandle, scripts: PageScripts): PageOrigins {
  const scriptOrigins = [scripts.ddLogin, scripts.dingtalkJsapi].map(originOf).filter((o): o is string => !!o);
  const loginOrigin = originOf(app.dingtalk.loginUrl);
  return { scripts: scriptOrigins, frames: loginOrigin ? [loginOrigin] : [], connect: scriptOrigins };
}
