/**
 * /metrics: valid Prometheus text from the app's own registry, refused without the bearer token,
 * or served on a port of its own; two apps in one process count apart.
 */
import Fastify from 'fastify';
import * as path from 'node:path';
import { loadApp } from '../../runtime/load-app';
import type { App } from '../../runtime/app';
import { silentLogger } from '../../runtime/logger';
import { registerMetricsRoute, startMetricsServer } from '../../runtime/http/metrics-route';
import { http } from '../helpers/http';
import { parsePrometheusText, sampleValue } from '../helpers/prometheus-text';

const FIXTURE = path.resolve(__dirname, '..', 'fixtures', 'apps', 'base-app');
const TOKEN = 'metrics-token-for-tests-0123456789';

describe('/metrics', () => {
  let app: App;
  let other: App;
  beforeAll(async () => {
    app = await loadApp(FIXTURE, { database: false, logger: silentLogger });
    other = await loadApp(FIXTURE, { database: false, logger: silentLogger });
  });
  afterAll(async () => {
    await app?.close();
    await other?.close();
  });

  test('on the host port: 401 without or with a wrong token, valid Prometheus text with it', async () => {
    const fastify = Fastify();
    registerMetricsRoute(fastify, app, TOKEN);
    const base = await fastify.listen({ port: 0, host: '127.0.0.1' });
    try {
      app.metrics.logins.inc({ instance: 'auths.loginTypes.x', flow: 'workbench', outcome: 'ok' }, 3);
      expect((await http(base, 'GET', '/metrics')).status).toBe(401);
      expect((await http(base, 'GET', '/metrics', { headers: { authorization: `Bearer ${TOKEN}x` } })).status).toBe(401);
      expect((await http(base, 'GET', '/metrics', { headers: { authorization: 'Bearer short' } })).status).toBe(401);
      const ok = await http(base, 'GET', '/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const samples = parsePrometheusText(ok.text);
      expect(sampleValue(samples, 'jit_logins_total', { instance: 'auths.loginTypes.x', flow: 'workbench', outcome: 'ok' })).toBe(3);
      expect(ok.text).toContain('# TYPE jit_login_duration_seconds histogram');
    } finally {
      await fastify.close();
    }
  });

  test('refuses to be registered without a token', () => {
    expect(() => registerMetricsRoute(Fastify(), app, '')).toThrow(/JIT_METRICS_TOKEN/);
  });

  test('on a port of its own: no token, only GET /metrics', async () => {
    const server = await startMetricsServer(app, 0);
    try {
      const base = server.url.replace(/\/metrics$/, '');
      const ok = await http(base, 'GET', '/metrics');
      expect(ok.status).toBe(200);
      expect(parsePrometheusText(ok.text).length).toBeGreaterThan(0);
      expect((await http(base, 'GET', '/login')).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  test('two apps in one process count apart; declaring a metric twice returns the same one', async () => {
    app.metrics.logins.inc({ instance: 'i', flow: 'qr', outcome: 'ok' });
    const first = app.metrics.counter({ name: 'jit_test_things_total', help: 'things', labelNames: ['kind'] });
    const again = app.metrics.counter({ name: 'jit_test_things_total', help: 'things', labelNames: ['kind'] });
    expect(again).toBe(first);
    const mine = parsePrometheusText(await app.metrics.text());
    const theirs = parsePrometheusText(await other.metrics.text());
    expect(sampleValue(mine, 'jit_logins_total', { instance: 'i', flow: 'qr' })).toBe(1);
    expect(sampleValue(theirs, 'jit_logins_total', { instance: 'i', flow: 'qr' })).toBeUndefined();
  });

  test('the text reader refuses malformed exposition (it can fail)', () => {
    expect(() => parsePrometheusText('# TYPE a counter\na{x="1" 2\n')).toThrow(/not a sample/);
    expect(() => parsePrometheusText('b 1\n')).toThrow(/before its TYPE/);
  });
});
