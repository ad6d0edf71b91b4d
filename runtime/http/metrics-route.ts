/**
 * `GET /metrics`: the app's Prometheus metrics in the text format. Two ways to keep it private
 * (`jit serve --metrics` refuses to start with neither):
 *   - on the host's port, behind `Authorization: Bearer <JIT_METRICS_TOKEN>` (compared in constant time);
 *   - on a port of its own (`--metrics-port`), for a scraper inside the network, with no token.
 */
import { createServer, type Server } from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AppHandle } from '../app-types';
import { JitError } from '../errors';
import { sendFailure } from './envelope';

export const METRICS_TOKEN_ENV = 'JIT_METRICS_TOKEN';

/** Serves /metrics on the host, answering 401 without the bearer token. */
export function registerMetricsRoute(fastify: FastifyInstance, app: AppHandle, token: string): void {
  if (!token) throw new JitError('CONFIG_INVALID', `/metrics on the host's port needs a token: set ${METRICS_TOKEN_ENV}, or serve metrics on a port of their own`);
  const expected = digest(token);
  fastify.get('/metrics', async (request, reply) => {
    const given = /^Bearer\s+(\S+)\s*$/i.exec(String(request.headers.authorization ?? ''))?.[1];
    if (!given || !timingSafeEqual(digest(given), expected)) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      return sendFailure(reply, new JitError('LOGIN_REQUIRED', `GET /metrics needs Authorization: Bearer <${METRICS_TOKEN_ENV}>`));
    }
    const body = await app.metrics.text();
    return reply.code(200).header('content-type', app.metrics.contentType).header('cache-control', 'no-store').send(body);
  });
}

/** A server of its own that answers only GET /metrics. Resolves once listening; close() stops it. */
export async function startMetricsServer(app: AppHandle, port: number, host = '127.0.0.1'): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    if (request.method !== 'GET' || (request.url ?? '').split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Only GET /metrics is served here.\n');
      return;
    }
    app.metrics.text().then(
      (body) => response.writeHead(200, { 'content-type': app.metrics.contentType, 'cache-control': 'no-store' }).end(body),
      () => response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('metrics failed\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Fixed-length digests, so comparing tokens of different lengths is still constant-time. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
