/**
 * Security headers of a `jit serve --trust-proxy` process (one hop) pointed at DingTalk's production
 * script CDN: pages get a CSP whose scripts are the page's own (by nonce) and DingTalk's CDN only,
 * whose styles are the host's own (no 'unsafe-inline'), whose images are the host's and DingTalk's
 * avatar CDN, whose only frame is the DingTalk login host (the QR code), and which no one may frame;
 * API answers get a CSP allowing nothing; every answer refuses framing and sniffing; HSTS only over
 * https; the session and browser key cookies are HttpOnly, SameSite=Lax and Secure behind https.
 */
import { DINGTALK_SCRIPTS } from '../../dingtalk/page-scripts';
import { rawRequest, type RawResponse } from '../helpers/raw-http';
import { demoCorpA, demoCorpB } from '../helpers/demo-org';
import { ACME_LOGIN, AUTH_SERVICE, useLoginApp, functionPath, acmeAndGlobexApp } from '../helpers/login-app';
import { useSimulator } from '../helpers/simulator';

jest.setTimeout(120_000);

function directives(csp: string | undefined): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of (csp ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), values);
  }
  return map;
}

function expectNoFraming(res: RawResponse): void {
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  expect(directives(res.headers['content-security-policy']).get('frame-ancestors')).toEqual(["'none'"]);
}

describe('security headers', () => {

  const sim = useSimulator({ seed: 5 });
  const t = useLoginApp({ sim, app: acmeAndGlobexApp(demoCorpA, demoCorpB), tap: true, host: 'process', serveArgs: ['--trust-proxy'] });

  const get = (path: string) => rawRequest(t.serve.url, { method: 'GET', path, headers: { accept: 'text/html' } });

  test('the login page: scripts by nonce or from DingTalk\'s CDN, the QR frame from DingTalk\'s login host only, never framed', async () => {
    const res = await get('/login');
    expect(res.status).toBe(200);
    expectNoFraming(res);
    expect(res.headers['cache-control']).toBe('no-store');
    const csp = directives(res.headers['content-security-policy']);
    const scriptSrc = csp.get('script-src') ?? [];
    const nonce = scriptSrc.find((v) => v.startsWith("'nonce-"))?.slice("'nonce-".length, -1);
    expect(nonce).toBeTruthy();
    // DingTalk's two scripts by exact URL (issue #20 item 6), never the whole CDN.
    expect(scriptSrc).toContain(DINGTALK_SCRIPTS.ddLogin);
    expect(scriptSrc).not.toContain(new URL(DINGTALK_SCRIPTS.ddLogin).origin);
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(scriptSrc).not.toContain("'unsafe-eval'");
    expect(scriptSrc.filter((v) => v.includes('*'))).toEqual([]);
    // The DingTalk login host the app is configured with (the tap here) is the only frame source.
    expect(csp.get('frame-src')).toEqual([new URL(t.tap.url).origin]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'self'"]);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    // Styles: the host's stylesheet, or a <style> carrying the nonce; never inline style attributes.
    expect(csp.get('style-src')).toEqual(["'self'", `'nonce-${nonce}'`]);
    expect(csp.get('img-src')).toEqual(["'self'", 'https://static-legacy.dingtalk.com']);
    expect(res.body).not.toMatch(/\sstyle\s*=/i);
    expect(res.body).not.toMatch(/<style\b/i);

    // Every script on the page carries the nonce or comes from an allowed origin (data blocks such
    // as type="application/json" are never run); no inline event handlers.
    const scripts = [...res.body.matchAll(/<script\b([^>]*)>/gi)].map((m) => m[1]).filter((a) => !/\btype="application\/json"/.test(a));
    expect(scripts.length).toBeGreaterThan(0);
    for (const attributes of scripts) {
      const src = /\bsrc="([^"]+)"/.exec(attributes)?.[1];
      const ok = attributes.includes(`nonce="${nonce}"`) || (src !== undefined && (src.startsWith('/') || scriptSrc.includes(new URL(src).origin)));
      expect({ attributes, ok }).toEqual({ attributes, ok: true });
    }
    expect(res.body).not.toMatch(/\son[a-z]+\s*=/i);

    // A fresh nonce per answer.
    const again = directives((await get('/login')).headers['content-security-policy']).get('script-src') ?? [];
    expect(again.find((v) => v.startsWith("'nonce-"))).not.toBe(`'nonce-${nonce}'`);
  });

  test('the workbench page may load DingTalk\'s JSAPI and is never framed', async () => {
    const res = await get(`/login/workbench?corpId=${demoCorpA.corpId}`);
    expect(res.status).toBe(200);
    expectNoFraming(res);
    const scriptSrc = directives(res.headers['content-security-policy']).get('script-src') ?? [];
    expect(scriptSrc).toContain(DINGTALK_SCRIPTS.dingtalkJsapi);
    expect(scriptSrc).not.toContain(new URL(DINGTALK_SCRIPTS.dingtalkJsapi).origin);
    expect(DINGTALK_SCRIPTS.dingtalkJsapi).toBe('https://g.alicdn.com/dingding/dingtalk-jsapi/3.1.0/dingtalk.open.js');
    expect(res.body).toContain(DINGTALK_SCRIPTS.dingtalkJsapi);
  });

  test('API answers, errors and unknown pages allow nothing and are never framed', async () => {
    for (const res of [
      await rawRequest(t.serve.url, { method: 'GET', path: '/healthz' }),
      await rawRequest(t.serve.url, { method: 'GET', path: '/api/me' }),
      await rawRequest(t.serve.url, { method: 'POST', path: '/api/nope', headers: { 'content-type': 'application/json' }, body: '{' }),
      await get('/no/such/page'),
      await get(`/login/callback/${ACME_LOGIN}?authCode=x&state=y`),
    ]) {
      expectNoFraming(res);
      if (!(res.headers['content-type'] ?? '').startsWith('text/html')) {
        expect(directives(res.headers['content-security-policy']).get('default-src')).toEqual(["'none'"]);
        expect(res.headers['cache-control']).toBe('no-store');
      }
    }
  });

  test('HSTS only when the request came over https through the trusted proxy', async () => {
    const https = await rawRequest(t.serve.url, { method: 'GET', path: '/login', headers: { accept: 'text/html', 'x-forwarded-proto': 'https' } });
    expect(https.headers['strict-transport-security']).toBe('max-age=31536000');
    const plain = await rawRequest(t.serve.url, { method: 'GET', path: '/login', headers: { accept: 'text/html' } });
    expect(plain.headers['strict-transport-security']).toBeUndefined();
  });

  test('the session and browser key cookies are HttpOnly, SameSite=Lax, Path=/, and Secure behind https', async () => {
    for (const [proto, secure] of [['http', false], ['https', true]] as const) {
      const code = t.sim.mintWorkbenchCode(demoCorpA.corpId, demoCorpA.users[1].userid);
      const res = await rawRequest(t.serve.url, {
        method: 'POST',
        path: functionPath(AUTH_SERVICE, 'loginByWorkbench'),
        headers: { 'content-type': 'application/json', 'x-forwarded-proto': proto, 'x-forwarded-for': '10.9.9.9' },
        body: JSON.stringify({ corpId: demoCorpA.corpId, authCode: code }),
      });
      expect(res.status).toBe(200);
      for (const name of ['jit_session', 'jit_browser']) {
        const cookie = res.setCookies.find((c) => c.startsWith(`${name}=`));
        expect(cookie).toBeDefined();
        const attributes = cookie!.split(';').map((a) => a.trim());
        expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Lax', 'Path=/']));
        expect(attributes.includes('Secure')).toBe(secure);
      }
    }
  });
});
