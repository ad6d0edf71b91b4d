/**
 * The HTTP host of one app: element functions (JitAi-style addresses), the session routes, the
 * login pages, the admin console (/admin, runtime/console) and /healthz, on fastify 5. Every answer carries security headers (@fastify/helmet),
 * every request runs with its request context (client address after the proxy rules, browser key,
 * session) and is logged once, cross-site state changes are refused, the login entry points are
 * under a per-address flood limit, slow clients time out, and no input can make a handler throw
 * past the envelope.
 *
 *   const host = createHost(app, { scripts: { ddLogin: `${sim.url}/standins/ddlogin.js`, ... } }); // a Type's script by name
 *   const url = await host.listen(3000, '127.0.0.1');
 *   ...
 *   await host.close(); // stops accepting, lets in-flight requests finish
 */
import { randomBytes } from 'crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { AppHandle } from '../app-types';
import { JitError } from '../errors';
import type { Logger } from '../logger';
import { answerClientError } from './client-errors';
import { registerCsrfCheck } from './csrf';
import { sendJson } from './envelope';
import { fromFastifyError } from './fastify-errors';
import { FloodLimiter } from './flood-limit';
import { replyWithError, type HostContext } from './host-context';
import { collectPageContent } from './page-needs';
import { renderMessagePage } from './pages/message-page';
import { fastifyTrustProxy, parseTrustProxy, type TrustProxyOption } from './proxy-trust';
import { configuredPublicOrigin, parsePublicUrl, servedOverHttps } from './public-origin';
import { fastifyLogOptions } from './request-log';
import { inRequestContext, registerRequestScope, requestContextOf } from './request-scope';
import { registerAdminStatusRoutes } from './routes/admin-status';
import { registerConsoleRoutes } from '../console/routes';
import { registerAssetRoutes } from './routes/assets';
import { registerFunctionRoutes } from './routes/functions';
import { registerLoginCallbackRoute } from './routes/login-callback';
import { respondWithPage } from './routes/page-response';
import { registerPageRoutes } from './routes/pages';
import { registerSessionRoutes } from './routes/session';
import { HELMET_OPTIONS, HSTS_VALUE, setBaseSecurityHeaders } from './security-headers';

/** Request ids for the log: a random per-process prefix and a counter (cheaper than random bytes per request). */
const REQUEST_ID_PREFIX = randomBytes(4).toString('hex');
let requestCounter = 0;
const nextRequestId = (): string => `${REQUEST_ID_PREFIX}-${(++requestCounter).toString(36)}`;

export const DEFAULT_BODY_LIMIT = 64 * 1024;

export interface HostOptions {
  /** Where request lines and errors go; default the app's logger. */
  logger?: Logger;
  /** Largest accepted request body in bytes (default 64 KiB); larger is 413 PAYLOAD_TOO_LARGE. */
  bodyLimit?: number;
  /**
   * Anonymous requests per minute one client address (IPv6: its /64) may make to the login
   * functions and the redirect callback; overrides app.json `limits.floodPerAddress` (default 3600).
   */
  floodPerAddress?: number;
  /**
   * Which reverse proxies to believe about the client address and scheme (X-Forwarded-For/-Proto):
   * a hop count (true is one hop) or the proxies' addresses and networks (see proxy-trust.ts).
   */
  trustProxy?: TrustProxyOption;
  /** The origin people reach the host at; overrides app.json `publicUrl` (`jit serve --public-url`). */
  publicUrl?: string;
  /** Seconds a client has to send a whole request; overrides app.json `server.requestTimeout` (default 30). */
  requestTimeout?: number;
  /** Seconds a silent connection is kept; overrides app.json `server.connectionTimeout` (default 60). */
  connectionTimeout?: number;
  /**
   * Other URLs for the third-party scripts the login Types contribute, by the Type's name for the
   * script (the DingTalk login's: `ddLogin`, `dingtalkJsapi`); `jit serve --sim` points them at the
   * simulator's stand-ins. The page CSP allows the URLs given here instead.
   */
  scripts?: Readonly<Record<string, string | undefined>>;
  /**
   * Integrity hashes (SRI tokens) of the scripts given in `scripts`, by the same names; a Type's own
   * pins (app.json `dingtalk.scriptIntegrity` for DingTalk's) hold for the URLs it gives. `jit serve
   * --sim` passes its stand-ins'.
   */
  scriptIntegrity?: Readonly<Record<string, string | undefined>>;
  /**
   * Reads the state of live organisation events for `GET /api/admin/stream-status` (administrators
   * only); without it the route is not served. `jit serve` passes the corps family's.
   */
  streamStatus?: () => Promise<unknown>;
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
  const content = collectPageContent(app, { scripts: options.scripts, scriptIntegrity: options.scriptIntegrity });
  const publicUrlFlag = options.publicUrl === undefined ? undefined : parsePublicUrl(options.publicUrl);
  const floodPerAddress = options.floodPerAddress;
  const ctx: HostContext = {
    app,
    logger: options.logger ?? app.logger,
    floodLimiter: new FloodLimiter(() => floodPerAddress ?? app.settings.limits.floodPerAddress),
    scripts: content.scripts,
    scriptIntegrity: content.scriptIntegrity,
    origins: content.origins,
    loginScriptNames: content.loginScriptNames,
  };
  const timeouts = serverTimeouts(app, options);
  warnAboutPublicUrl(app, ctx.logger, publicUrlFlag);

  const fastify = Fastify({
    // fastify's own request logging, through the app's logger (redacted; one line per request, no raw URL).
    ...fastifyLogOptions(ctx.logger),
    bodyLimit,
    trustProxy: fastifyTrustProxy(parseTrustProxy(options.trustProxy)),
    genReqId: nextRequestId,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.connectionMs,
    http: { requestTimeout: timeouts.requestMs, headersTimeout: timeouts.headersMs, connectionsCheckingInterval: timeouts.checkEveryMs },
    clientErrorHandler: answerClientError,
    frameworkErrors: (err, request, reply) => {
      setBaseSecurityHeaders(reply);
      reply.header('x-request-id', request.id);
      replyWithError(ctx, request, reply, fromFastifyError(err, bodyLimit));
    },
  });

  acceptJsonOnly(fastify);
  // Hook order matters: cookies are parsed, helmet's headers set, the request context built (it
  // reads the browser key cookie), then cross-site state changes refused.
  void fastify.register(fastifyCookie, { hook: 'onRequest' });
  void fastify.register(fastifyHelmet, HELMET_OPTIONS);
  registerRequestScope(fastify, app, publicUrlFlag);
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (servedOverHttps(request, requestContextOf(request).publicOrigin)) reply.header('strict-transport-security', HSTS_VALUE);
  });
  registerCsrfCheck(fastify, app);
  fastify.setErrorHandler((err, request, reply) => replyWithError(ctx, request, reply, fromFastifyError(err, bodyLimit)));
  fastify.setNotFoundHandler((request, reply) => inRequestContext(request, () => notFound(ctx, request, reply)));

  fastify.get('/healthz', async (_request, reply) => sendJson(reply, 200, { status: 'ok' }));
  // Browsers ask for an icon on every page; no icon is an answer, not a 404 logged in each console.
  fastify.get('/favicon.ico', async (_request, reply) => reply.code(204).send());
  registerSessionRoutes(fastify, ctx);
  registerFunctionRoutes(fastify, ctx);
  registerPageRoutes(fastify, ctx);
  registerLoginCallbackRoute(fastify, ctx);
  registerAssetRoutes(fastify, ctx);
  registerAdminStatusRoutes(fastify, ctx, { streamStatus: options.streamStatus });
  registerConsoleRoutes(fastify, ctx);

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
    return respondWithPage(ctx, request, reply, async (nonce, page) =>
      renderMessagePage({ nonce, page, title: page.words['page.notFound.title'], message: page.words['page.notFound.message'], link: { href: '/', text: page.words['page.home'] } }),
    );
  }
  const hint = request.url.startsWith('/api/') ? ' Element functions are called with POST /api/<orgId>/<appName>/<element path>/<function>.' : '';
  return replyWithError(ctx, request, reply, new JitError('NOT_FOUND', `No such route.${hint}`));
}

interface ServerTimeouts {
  requestMs: number;
  connectionMs: number;
  /** Node refuses a headers timeout above the request timeout. */
  headersMs: number;
  /**
   * How often Node looks for requests past their timeout (its default, 30 s, would let a 2 s
   * timeout run for 30 s): a quarter of the request timeout, between 250 ms and 30 s.
   */
  checkEveryMs: number;
}

/**
 * `server.requestTimeout` / `server.connectionTimeout` (seconds; flags win). A client trickling a
 * body one byte at a time is answered 408 REQUEST_TIMEOUT (client-errors.ts) once the whole request
 * has taken longer than the request timeout; a connection silent for the connection timeout is
 * closed. Read once: changing them needs a restart.
 */
function serverTimeouts(app: AppHandle, options: HostOptions): ServerTimeouts {
  const seconds = (value: number | undefined, setting: number, name: string) => {
    const chosen = value ?? setting;
    if (!Number.isFinite(chosen) || chosen <= 0) throw new JitError('CONFIG_INVALID', `${name} must be a positive number of seconds (got ${String(chosen)})`);
    return Math.round(chosen * 1000);
  };
  const requestMs = seconds(options.requestTimeout, app.settings.server.requestTimeout, 'server.requestTimeout');
  const connectionMs = seconds(options.connectionTimeout, app.settings.server.connectionTimeout, 'server.connectionTimeout');
  return {
    requestMs,
    connectionMs,
    headersMs: Math.min(60_000, requestMs),
    checkEveryMs: Math.min(30_000, Math.max(250, Math.floor(requestMs / 4))),
  };
}

/** Start-up warnings about the public URL and the cookie rule (once per host). */
function warnAboutPublicUrl(app: AppHandle, logger: Logger, flag: string | undefined): void {
  const configured = configuredPublicOrigin(app, flag);
  if (!configured) {
    logger.warn(
      'publicUrl is not set: the host takes its own origin from each request (Host, and X-Forwarded-* from trusted proxies) for the Origin check, Secure cookies and HSTS. Set "publicUrl" in app.json or pass --public-url https://<the address people use>.',
    );
  } else if (configured.startsWith('https:') && app.settings.sessions.secureCookies === false) {
    logger.warn(`publicUrl is ${configured} but sessions.secureCookies is false: session cookies will also travel over plain http. Set it to "auto".`);
  }
}
