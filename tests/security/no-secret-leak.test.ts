/**
 * The app secret (and every other secret) never appears in any output. One test runs the
 * representative flows end to end and collects every byte the product produced: each HTTP answer
 * (status line, headers, body) of a `jit serve` process at debug log level, everything that process
 * wrote to stdout and stderr until its shutdown, and the output of the CLI commands that read the
 * config (validate, list, show, bindings, users). Then it greps all of it for:
 *   - the app secrets of both corps, a local user's password, and every DingTalk app/user/refresh
 *     token the host received (seen on the wire by the tap): never anywhere;
 *   - session tokens, bind tickets and DingTalk authorization codes: never in a log or CLI output
 *     (they appear only in the one answer that hands them to their owner);
 *   - the redactor's mark "[redacted]" in host logs and answers: a secret that reached a log call or a
 *     response and was only masked by the last line of defence is a leak waiting to happen.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REDACTED } from '../../runtime/secrets';
import { runJit } from '../helpers/serve-process';
import { CookieJar } from '../helpers/cookie-jar';
import { rawRequest, type RawRequest } from '../helpers/raw-http';
import { demoCorpA, demoCorpB } from '../helpers/demo-org';
import { ACME_LOGIN, OTHER_LOGIN, AUTH_SERVICE, useLoginApp, functionPath, createLocalUser, acmeAndGlobexApp } from '../helpers/login-app';
import { useSimulator } from '../helpers/simulator';

jest.setTimeout(300_000);

const PASSWORD = 'n0t-in-any-output, ever!';

describe('no secret in any output', () => {
  const sim = useSimulator({ seed: 5 });
  const t = useLoginApp({ sim, app: acmeAndGlobexApp(demoCorpA, demoCorpB), tap: true, host: 'process', serveArgs: ['--trust-proxy'], serveEnv: { JIT_LOG_LEVEL: 'debug' } });
  /** Every answer, as the bytes a client received (status, headers, body). */
  const answers: string[] = [];
  /** Everything the CLI printed. */
  const cliOutput: string[] = [];
  /** Handed to their owner once, never to be logged. */
  const oneTimeValues = new Set<string>();

  let client = 0;
  // One browser: login states and bind tickets are bound to its browser key cookie. The session
  // cookie is not kept: the flows below send their tokens themselves.
  const browser = new CookieJar({ ignore: ['jit_session'] });
  const send = async (request: RawRequest) => {
    const res = await rawRequest(t.serve.url, { ...request, headers: browser.headers({ 'x-forwarded-for': `10.66.0.${++client}`, ...request.headers }) });
    browser.take(res.setCookies);
    answers.push(`${res.status}\n${Object.entries(res.headers).map(([k, v]) => `${k}: ${v}`).join('\n')}\n${res.setCookies.join('\n')}\n${res.body}`);
    return res;
  };
  const call = (fullName: string, fn: string, body: unknown, headers: Record<string, string> = {}) =>
    send({ method: 'POST', path: functionPath(fullName, fn), headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const workbenchCode = (corp: 'A' | 'B', index: number) => {
    const c = corp === 'A' ? demoCorpA : demoCorpB;
    const code = t.sim.mintWorkbenchCode(c.corpId, c.users[index].userid);
    oneTimeValues.add(code);
    return code;
  };
  const qrLogin = async (instance: string, unionid: string) => {
    const config = (await call(instance, 'getLoginConfig', {})).json.data as { state: string; appKey: string };
    const code = t.sim.mintQrCode(config.appKey, unionid);
    oneTimeValues.add(code);
    return call(instance, 'getLoginCode', { code, loginType: 'qr', platform: 'web', state: config.state });
  };
  const remember = <T extends { json: any }>(res: T): T => {
    for (const key of ['token', 'bindTicket']) if (typeof res.json?.data?.[key] === 'string') oneTimeValues.add(res.json.data[key]);
    return res;
  };

  test('representative flows, errors and CLI commands never show a secret', async () => {
    // Pages and configuration.
    for (const p of ['/login', `/login/workbench?corpId=${demoCorpA.corpId}`, '/', '/healthz']) await send({ method: 'GET', path: p, headers: { accept: 'text/html' } });
    await call(ACME_LOGIN, 'getLoginConfig', {});
    await call(OTHER_LOGIN, 'getLoginConfig', {});

    // Logins that work: workbench, QR, the redirect callback; the session in use; logout.
    const workbench = remember(await call(AUTH_SERVICE, 'loginByWorkbench', { corpId: demoCorpA.corpId, authCode: workbenchCode('A', 0), platform: 'mobile' }));
    expect(workbench.status).toBe(200);
    expect(remember(await qrLogin(ACME_LOGIN, demoCorpA.users[1].unionid)).status).toBe(200);
    const config = (await call(ACME_LOGIN, 'getLoginConfig', {})).json.data as { state: string; appKey: string };
    const callbackCode = t.sim.mintQrCode(config.appKey, demoCorpA.users[2].unionid);
    oneTimeValues.add(callbackCode);
    const callback = await send({ method: 'GET', path: `/login/callback/${ACME_LOGIN}?authCode=${callbackCode}&state=${encodeURIComponent(config.state)}` });
    expect(callback.status).toBe(302);
    for (const cookie of callback.setCookies) oneTimeValues.add(/^jit_session=([^;]+)/.exec(cookie)?.[1] ?? '');
    const token = workbench.json.data.token as string;
    await send({ method: 'GET', path: '/api/me', headers: { authorization: `Bearer ${token}` } });
    await send({ method: 'GET', path: '/', headers: { cookie: `jit_session=${token}`, accept: 'text/html' } });

    // bindExisting: a ticket, a wrong password, the right one, a replay.
    await createLocalUser(t, { username: 'wei.local', password: PASSWORD });
    const bind = remember(await call(AUTH_SERVICE, 'loginByWorkbench', { corpId: demoCorpB.corpId, authCode: workbenchCode('B', 0) }));
    const bindTicket = bind.json.data.bindTicket as string;
    expect((await call(AUTH_SERVICE, 'completeBinding', { bindTicket, proof: { username: 'wei.local', password: `${PASSWORD}x` } })).status).toBe(401);
    expect(remember(await call(AUTH_SERVICE, 'completeBinding', { bindTicket, proof: { username: 'wei.local', password: PASSWORD } })).status).toBe(200);
    expect((await call(AUTH_SERVICE, 'completeBinding', { bindTicket, proof: { username: 'wei.local', password: PASSWORD } })).status).toBe(400);
    expect(remember(await call('auths.loginTypes.staffPassword', 'login', { username: 'wei.local', password: PASSWORD })).status).toBe(200);
    expect((await call('auths.loginTypes.staffPassword', 'login', { username: 'wei.local', password: 'wrong' })).status).toBe(401);

    // Logins that fail: a spent code, a bad state, outsiders, the wrong corp.
    const spent = workbenchCode('A', 3);
    await call(AUTH_SERVICE, 'loginByWorkbench', { corpId: demoCorpA.corpId, authCode: spent });
    expect((await call(AUTH_SERVICE, 'loginByWorkbench', { corpId: demoCorpA.corpId, authCode: spent })).status).toBe(400);
    expect((await call(ACME_LOGIN, 'getLoginCode', { code: 'x', loginType: 'qr', state: 'forged.state' })).status).toBe(400);
    const outsider = t.sim.org.outsiders![0];
    expect((await qrLogin(ACME_LOGIN, outsider.unionid)).json.error.code).toBe('NOT_CORP_MEMBER');
    expect((await qrLogin(ACME_LOGIN, demoCorpB.users[1].unionid)).json.error.code).toBe('NOT_CORP_MEMBER');
    await send({ method: 'GET', path: `/login/callback/${ACME_LOGIN}?authCode=nope&state=nope` });

    // DingTalk failing: retried faults, every token revoked, then failures the retries cannot absorb.
    t.sim.injectFault({ kind: 'http500', count: 1 });
    t.sim.injectFault({ kind: 'busy', count: 1 });
    t.sim.injectFault({ kind: 'qps', count: 1, endpoints: ['topapi/v2/user/get'] });
    expect(remember(await call(AUTH_SERVICE, 'loginByWorkbench', { corpId: demoCorpA.corpId, authCode: workbenchCode('A', 4) })).status).toBe(200);
    t.sim.revokeTokens();
    expect(remember(await qrLogin(ACME_LOGIN, demoCorpA.users[5].unionid)).status).toBe(200);
    t.sim.injectFault({ kind: 'http500', rate: 1, count: 40, endpoints: ['topapi/v2/user/get'] });
    expect((await call(AUTH_SERVICE, 'loginByWorkbench', { corpId: demoCorpA.corpId, authCode: workbenchCode('A', 6) })).json.error.code).toBe('DINGTALK_UNAVAILABLE');
    t.sim.clearFaults();
    t.sim.injectFault({ kind: 'qps', rate: 1, count: 40 });
    expect((await call(AUTH_SERVICE, 'loginByWorkbench', { corpId: demoCorpA.corpId, authCode: workbenchCode('A', 7) })).json.error.code).toBe('DINGTALK_RATE_LIMITED');
    t.sim.clearFaults();

    await send({ method: 'POST', path: '/api/logout', headers: { authorization: `Bearer ${token}` } });
    const exit = await t.serve.stop();
    expect(exit.code).toBe(0);
    const hostOutput = t.serve.output();

    // The CLI on the same app, with the secrets in its environment.
    const env = { ...t.appEnv, JIT_DATABASE_URL: t.databaseUrl };
    const jit = async (commands: string[][]) => {
      // Two at a time: each is a fresh process (its own secret registry, as in real use).
      for (let i = 0; i < commands.length; i += 2) {
        const runs = await Promise.all(commands.slice(i, i + 2).map((args) => runJit(args, { env }).then((run) => ({ args, run }))));
        for (const { args, run } of runs) cliOutput.push(`$ jit ${args.join(' ')} (exit ${run.code})\n${run.stdout}${run.stderr}`);
      }
    };
    await jit([
      ['validate', '--app', t.dir],
      ['list', '--app', t.dir, '--json'],
      ['show', ACME_LOGIN, '--app', t.dir],
      ['show', OTHER_LOGIN, '--app', t.dir, '--json'],
      ['bindings', 'list', '--app', t.dir, '--json'],
      ['users', 'list', '--app', t.dir, '--json'],
    ]);
    // A config holding a (malformed) literal secret instead of a {{NAME}} reference: the errors
    // about it must not echo it.
    const configFile = path.join(t.dir, 'auths', 'loginTypes', 'acmeLogin', 'acmeLogin.json');
    const config2 = JSON.parse(fs.readFileSync(configFile, 'utf8'));
    config2.authConfig.appSecret = `${demoCorpA.apps[0].appSecret}!`;
    fs.writeFileSync(configFile, JSON.stringify(config2, null, 2));
    await jit([
      ['validate', '--app', t.dir],
      ['show', ACME_LOGIN, '--app', t.dir, '--json'],
    ]);
    expect(cliOutput.join('\n')).toContain('acmeLogin.json');

    // The greps.
    const everything = [...answers, hostOutput, ...cliOutput].join('\n');
    const dingtalkTokens = [...t.tap.tokens()];
    expect(dingtalkTokens.length).toBeGreaterThanOrEqual(4); // app tokens before and after the revocation, user tokens
    const neverAnywhere = [...t.secrets, PASSWORD, ...dingtalkTokens];
    expect(neverAnywhere.filter((secret) => everything.includes(secret)).map(describeSecret)).toEqual([]);
    const logsAndCli = [hostOutput, ...cliOutput].join('\n');
    const oneTime = [...oneTimeValues].filter((v) => v.length >= 8);
    expect(oneTime.length).toBeGreaterThan(10);
    expect(oneTime.filter((value) => logsAndCli.includes(value)).map(describeSecret)).toEqual([]);
    expect(countOf([hostOutput, ...answers].join('\n'), REDACTED)).toBe(0);

    // And the collection really holds what it should (the greps looked at real output).
    expect(hostOutput).toContain('"level":"debug"');
    expect(hostOutput).toContain('dingtalk login');
    expect(answers.length).toBeGreaterThan(30);
    process.stdout.write(`\nsecret grep: ${everything.length} bytes of output (${answers.length} answers, host log ${hostOutput.length} bytes, ${cliOutput.length} CLI runs), ${neverAnywhere.length} secrets and ${oneTime.length} one-time values searched\n`);
  });
});

function describeSecret(value: string): string {
  return `${value.slice(0, 4)}… (${value.length} characters)`;
}

function countOf(text: string, needle: string): number {
  return text.split(needle).length - 1;
}
