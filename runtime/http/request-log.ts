/**
 * Request logging is fastify's own (its pino logger, its request ids, `request.log`), written
 * through the runtime's logger, so every line passes the secret redactor like any other. Two choices
 * of ours, made through fastify's extension points (the log controller and pino serializers):
 *   - one line per request, `msg: "request"`, when it completes: method, route, status, ms and
 *     `reqId` (fastify writes an "incoming request" line too, before the handler has named the
 *     function called; one line per request halves the volume of a login rush);
 *   - never the raw URL: queries carry codes and states. A line names the route pattern, or a
 *     label the handler sets (`setLogRoute`, e.g. the function called); errors are summarised to
 *     name, message and code (no stack, no properties an error may carry, such as URLs with tokens).
 *     fastify's own messages that name the raw URL (e.g. its "Reply was already sent" warning) get
 *     the path with the query cut off, by the per-request logger fastify makes for each request.
 */
import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import pino, { type Logger as PinoLogger } from 'pino';
import { pinoOf, type Logger } from '../logger';

const routeLabels = new WeakMap<FastifyRequest, string>();

/** Names the request in its log line more precisely than the route pattern (e.g. the function called). */
export function setLogRoute(request: FastifyRequest, label: string): void {
  routeLabels.set(request, label);
}

function routeOf(request: FastifyRequest): string {
  return routeLabels.get(request) ?? request.routeOptions?.url ?? '(no route)';
}

/** fastify's request log lines, ours: one per request, written when it completes, and no raw URL anywhere. */
class RequestLogController extends LogController {
  override incomingRequest(): void {
    // The completed line carries the request; see the file comment.
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const fields = { method: request.method, route: routeOf(request), status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 };
    if (error || reply.statusCode >= 500) reply.log.error(error ? { ...fields, err: error } : fields, 'request');
    else reply.log.info(fields, 'request');
  }

  override routeNotFound(request: FastifyRequest): void {
    // fastify's own line names the raw URL.
    request.log.info({ method: request.method }, 'route not found');
  }
}

/**
 * What every line fastify writes may carry: the request as its method and route, the reply as its
 * status, an error as name, message and code.
 */
const SERIALIZERS = {
  req: (request: FastifyRequest) => ({ method: request.method, route: routeOf(request) }),
  res: (reply: FastifyReply) => ({ status: reply.statusCode }),
  err: (err: unknown) => (err instanceof Error ? { name: err.name, message: err.message, code: (err as { code?: unknown }).code } : err),
};

const PINO_LEVELS: Record<number, 'debug' | 'info' | 'warn' | 'error'> = { 10: 'debug', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'error' };

/**
 * The logger options of the host's fastify: the pino instance behind `logger` (a logger made by
 * createLogger: its lines are redacted and formatted as all others), or, for any other Logger, a pino
 * that hands each line to it. Request ids come from the host's `genReqId`, as `reqId` on every line.
 */
export function fastifyLogOptions(logger: Logger): Pick<FastifyServerOptions, 'loggerInstance' | 'logController' | 'childLoggerFactory'> {
  const base = pinoOf(logger) ?? forwardingPino(logger);
  return {
    loggerInstance: base.child({}, { serializers: SERIALIZERS }) as unknown as FastifyServerOptions['loggerInstance'],
    logController: new RequestLogController({ requestIdLogLabel: 'reqId' }),
    childLoggerFactory: requestLogger as unknown as FastifyServerOptions['childLoggerFactory'],
  };
}

type LogMethod = (this: unknown, ...args: unknown[]) => void;
const LEVEL_METHODS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/**
 * `request.log`: a child of the host's logger with the request id. When the raw URL has a query, any
 * message or error message that would repeat it shows the path with the query cut off instead.
 */
function requestLogger(this: unknown, logger: PinoLogger, bindings: Record<string, unknown>, options: Record<string, unknown>, raw: { url?: string }): PinoLogger {
  const child = logger.child(bindings, options);
  const url = raw.url ?? '';
  const query = url.indexOf('?');
  if (query < 0) return child;
  const shown = `${url.slice(0, query)}?(query not logged)`;
  const scrub = (value: unknown): unknown => (typeof value === 'string' && value.includes(url) ? value.split(url).join(shown) : value);
  const scrubbed = Object.create(child) as PinoLogger & Record<string, LogMethod>;
  for (const level of LEVEL_METHODS) {
    const write = (child[level] as LogMethod).bind(child);
    scrubbed[level] = (...args: unknown[]) => {
      const [first, ...rest] = args;
      const err = first instanceof Error ? first : (first as { err?: unknown } | null)?.err;
      const summary = err instanceof Error ? { ...(SERIALIZERS.err(err) as Record<string, unknown>), message: scrub(err.message) } : undefined;
      if (first instanceof Error) write({ err: summary }, ...(rest.length ? rest.map(scrub) : [summary!.message]));
      else write(summary ? { ...(first as object), err: summary } : scrub(first), ...rest.map(scrub));
    };
  }
  return scrubbed;
}

/** A pino whose lines go to a Logger of another make (its level, message and fields). */
function forwardingPino(logger: Logger): PinoLogger {
  return pino(
    { level: 'debug', base: null, messageKey: 'msg', timestamp: false },
    {
      write(line: string) {
        const { level, msg, ...fields } = JSON.parse(line) as { level: number; msg?: string } & Record<string, unknown>;
        logger[PINO_LEVELS[level] ?? 'info'](msg ?? '', fields);
      },
    },
  );
}
