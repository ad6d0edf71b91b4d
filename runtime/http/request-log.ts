/**
 * One structured log line per request: method, route pattern (never the raw URL: queries carry
 * codes and states), status, duration and request id. Lines go through the runtime logger, which
 * redacts registered secrets.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from '../logger';

const routeLabels = new WeakMap<FastifyRequest, string>();

/** Names the request in its log line more precisely than the route pattern (e.g. the function called). */
export function setLogRoute(request: FastifyRequest, label: string): void {
  routeLabels.set(request, label);
}

export function registerRequestLog(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onResponse', async (request, reply) => {
    const route = routeLabels.get(request) ?? request.routeOptions.url ?? '(no route)';
    const fields = {
      reqId: request.id,
      method: request.method,
      route,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (reply.statusCode >= 500) logger.error('request', fields);
    else logger.info('request', fields);
  });
}
