/**
 * `jit serve` with metrics: refused without a guard (exit 2), behind JIT_METRICS_TOKEN on the host's
 * port, or on a port of its own; the login counters move as people sign in, and no user id or secret
 * becomes a label.
 */
import { startServe, type RunningServer } from '../../cli/commands/serve';
import { silentLogger } from '../../runtime/logger';
import { runCli } from '../cli/run-cli';
import { http } from '../helpers/http';
import { parsePrometheusText, sampleValue } from '../helpers/prometheus-text';
import { appA, appB, copyFixture, corpA, fn, ACME_LOGIN, AUTH_SERVICE } from '../http/helpers';

const TOKEN = 'a-metrics-token-for-these-tests';

describe('jit serve --metrics', () => {
  let dir: string;
  const saved = { ...process.env };
  beforeAll(() => {
    dir = copyFixture('hr-app');
    // The fixture's config reads its secrets from the environment, as a deployment's would.
    process.env.DD_APP_SECRET = appA.appSecret;
    process.env.DD_APP_SECRET_B = appB.appSecret;
  });
  afterAll(() => {
    process.env = saved;
  });

  test('with neither JIT_METRICS_TOKEN nor --metrics-port, jit serve refuses to start (exit 2)', async () => {
    const saved = process.env.JIT_METRICS_TOKEN;
    delete process.env.JIT_METRICS_TOKEN;
    try {
      const run = await runCli('serve', dir, '--port', '0', '--metrics', '--sim');
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/metrics need a guard: set JIT_METRICS_TOKEN .* or serve them on a port of their own with --metrics-port/);
    } finally {
      if (saved !== undefined) process.env.JIT_METRICS_TOKEN = saved;
    }
  });

  test('behind the token on the host port: 401 without it; logins counted by instance, flow and outcome', async () => {
    let server: RunningServer | undefined;
    try {
      server = await startServe({ dir, port: 0, sim: true, metrics: true, env: { JIT_METRICS_TOKEN: TOKEN }, logger: silentLogger });
      expect(server.metricsUrl).toBe(`${server.url}/metrics`);
      expect((await http(server.url, 'GET', '/metrics')).status).toBe(401);

      const userid = corpA.users[0].userid;
      for (let i = 0; i < 3; i++) {
        const code = server.sim!.mintWorkbenchCode(corpA.corpId, userid);
        const login = await http(server.url, 'POST', fn(AUTH_SERVICE, 'loginByWorkbench'), { json: { corpId: corpA.corpId, authCode: code, platform: 'web' } });
        expect(login.body).toMatchObject({ success: true, data: { status: 'LOGGED_IN' } });
      }
      const refused = await http(server.url, 'POST', fn(AUTH_SERVICE, 'loginByWorkbench'), { json: { corpId: corpA.corpId, authCode: 'not-a-code', platform: 'web' } });
      expect(refused.body.error.code).toBe('AUTH_CODE_INVALID');

      const scrape = await http(server.url, 'GET', '/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(scrape.status).toBe(200);
      const samples = parsePrometheusText(scrape.text);
      expect(sampleValue(samples, 'jit_logins_total', { instance: ACME_LOGIN, flow: 'workbench', outcome: 'ok' })).toBe(3);
      expect(sampleValue(samples, 'jit_logins_total', { instance: ACME_LOGIN, flow: 'workbench', outcome: 'AUTH_CODE_INVALID' })).toBe(1);
      expect(sampleValue(samples, 'jit_login_duration_seconds_count', { flow: 'workbench' })).toBe(4);
      expect(sampleValue(samples, 'jit_sessions_active')).toBeGreaterThanOrEqual(3);
      // DingTalk calls through the app's call budget: by API, lane and outcome; one cold token fetch.
      expect(sampleValue(samples, 'jit_dingtalk_calls_total', { api: 'topapi/v2/user/getuserinfo', lane: 'login', outcome: 'ok' })).toBe(3);
      expect(sampleValue(samples, 'jit_dingtalk_token_fetches_total', { cause: 'cold' })).toBe(1);
      expect(sampleValue(samples, 'jit_dingtalk_budget_wait_seconds_count', { lane: 'login' })).toBeGreaterThanOrEqual(4);
      // Bounded labels only: no user id, no code, no token anywhere in the exposition.
      expect(scrape.text).not.toContain(userid);
      expect(scrape.text).not.toContain(TOKEN);
    } finally {
      await server?.close();
    }
  });

  test('on a port of its own: no token needed, and the host itself serves no /metrics', async () => {
    let server: RunningServer | undefined;
    try {
      server = await startServe({ dir, port: 0, sim: true, metrics: true, metricsPort: 0, env: {}, logger: silentLogger });
      expect(server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const own = new URL(server.metricsUrl!);
      expect((await http(own.origin, 'GET', '/metrics')).status).toBe(200);
      expect((await http(server.url, 'GET', '/metrics')).status).toBe(404);
    } finally {
      await server?.close();
    }
  });
});
