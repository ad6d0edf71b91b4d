/**
 * The host's request log is fastify's own logger (loggerInstance, its request ids, request.log),
 * written through the app's logger: every line fastify writes is the runtime's JSON line, redacted
 * like the others, and none carries a raw URL (queries carry authorization codes and states).
 */
import type { Logger } from '../../runtime/logger';
import { startTestHost, useTestHost } from './helpers';

const SECRET_QUERY = 'code=QUERY-SECRET-4711';

describe('request logging through fastify', () => {
  const t = useTestHost({
    beforeListen: (host) => {
      // A handler that answers twice: fastify's own warning names the request's URL.
      host.fastify.get('/test/twice', async (request, reply) => {
        await reply.send({ first: true });
        return { second: true };
      });
      host.fastify.get('/test/own-line', async (request) => {
        request.log.info({ note: 'from the handler' }, `handler saw ${request.url}`);
        return { ok: true };
      });
    },
  });

  test("fastify's own warnings are logged with the request id, and with the query cut off", async () => {
    const before = t.logs.length;
    const res = await fetch(`${t.url}/test/twice?${SECRET_QUERY}`);
    expect(res.status).toBe(200);
    const reqId = res.headers.get('x-request-id');
    await waitFor(() => t.logs.slice(before).some((l) => l.msg === 'request' && l.reqId === reqId));
    const lines = t.logs.slice(before).filter((l) => l.reqId === reqId);
    const warning = lines.find((l) => (l.err as { code?: string } | undefined)?.code === 'FST_ERR_REP_ALREADY_SENT');
    expect(warning).toMatchObject({ level: 'warn' });
    expect(String(warning!.msg)).toContain('/test/twice?(query not logged)');
    expect(t.rawLogs.slice(before).join('\n')).not.toContain('QUERY-SECRET-4711');
  });

  test('request.log in a handler carries the request id; its message never the query', async () => {
    const before = t.logs.length;
    const res = await fetch(`${t.url}/test/own-line?${SECRET_QUERY}`);
    const reqId = res.headers.get('x-request-id');
    const own = t.logs.slice(before).find((l) => l.note === 'from the handler');
    expect(own).toMatchObject({ reqId, msg: 'handler saw /test/own-line?(query not logged)' });
    expect(t.rawLogs.slice(before).join('\n')).not.toContain('QUERY-SECRET-4711');
  });

  test('one line per request, named by the route pattern', async () => {
    const before = t.logs.length;
    const res = await fetch(`${t.url}/test/own-line?${SECRET_QUERY}`);
    const reqId = res.headers.get('x-request-id');
    const lines = t.logs.slice(before).filter((l) => l.reqId === reqId && l.msg === 'request');
    expect(lines).toEqual([expect.objectContaining({ level: 'info', method: 'GET', route: '/test/own-line', status: 200 })]);
    expect(t.logs.slice(before).some((l) => l.msg === 'incoming request' || l.msg === 'request completed')).toBe(false);
  });
});

describe("a logger of the app author's own make", () => {
  test('receives the request lines as calls with the same fields', async () => {
    const calls: Array<{ level: string; msg: string; fields: Record<string, unknown> }> = [];
    const record = (level: string) => (msg: string, fields?: Record<string, unknown>) => void calls.push({ level, msg, fields: fields ?? {} });
    const own: Logger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error'), child: () => own };
    const t = await startTestHost({ host: { logger: own } });
    try {
      const res = await fetch(`${t.url}/healthz?${SECRET_QUERY}`);
      const reqId = res.headers.get('x-request-id');
      await waitFor(() => calls.some((c) => c.msg === 'request'));
      expect(calls.find((c) => c.msg === 'request')).toEqual({ level: 'info', msg: 'request', fields: expect.objectContaining({ reqId, method: 'GET', route: '/healthz', status: 200 }) });
      expect(JSON.stringify(calls)).not.toContain('QUERY-SECRET-4711');
    } finally {
      await t.close();
    }
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('the expected log line was not written within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
