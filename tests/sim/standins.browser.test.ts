/**
 * The front-end stand-ins in real Chromium: DTFrameLogin renders the simulator's QR frame and hands
 * back the authCode; window.dd mints workbench codes for the member named in the URL or chosen in
 * an accessible dialog. The host page lives on its own origin, as an app's login page would.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { browserAvailability, launchBrowser } from '../helpers/browser';
import { appA, appB, appToken, corpA, memberOf, topapi, userToken } from './helpers';
import { useSimulator } from '../helpers/simulator';

const maybe = browserAvailability().available ? describe : describe.skip;

maybe('stand-ins in Chromium', () => {
  const sim = useSimulator();
  let host: http.Server;
  let hostUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    host = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://host.local');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      if (url.pathname === '/qr') return void res.end(qrPage(url.searchParams.get('client_id') ?? appA.appKey, url.searchParams.get('omit') ?? ''));
      if (url.pathname === '/attack') return void res.end(attackPage());
      res.end(workbenchPage(url.searchParams.get('api') ?? 'new'));
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => host?.close(resolve));
  });

  /** The QR login as the product's page sends it (scope `openid corpid` with corpId and an org_type
   *  that is not `management`); `omit` names a parameter to leave out. */
  function qrPage(clientId: string, omit: string): string {
    const params: Record<string, string> = {
      client_id: clientId, scope: 'openid corpid', response_type: 'code', prompt: 'consent', state: 'st-42', corpId: corpA.corpId, org_type: 'all',
    };
    delete params[omit];
    return `<!doctype html><html><body><div id="login"></div>
<script src="${sim.loginUrl}/standins/ddlogin.js"></script>
<script>
  var params = ${JSON.stringify(params)};
  params.redirect_uri = encodeURIComponent(location.origin + '/callback');
  window.DTFrameLogin({ id: 'login', width: 320, height: 420 }, params,
    function (result) { window.__result = result; },
    function (message) { window.__error = message; });
</script></body></html>`;
  }

  /** Another origin's page trying the admin routes, as any site open in the developer's browser could. */
  function attackPage(): string {
    return `<!doctype html><html><body>
<iframe name="sink"></iframe>
<form id="f" method="post" target="sink" action="${sim.url}/__sim/members/remove">
  <input name="corpId" value="${corpA.corpId}"><input name="userid" value="zhaoliu">
</form>
<script>
  fetch(${JSON.stringify(`${sim.url}/__sim/org`)}).then(function (r) { window.__read = r.status; }, function (e) { window.__read = 'blocked'; });
  document.getElementById('f').submit();
</script></body></html>`;
  }

  function workbenchPage(api: string): string {
    const corp = JSON.stringify(corpA.corpId);
    const client = JSON.stringify(appA.appKey);
    const done = `function (r) { window.__code = r.code; }, function (e) { window.__error = e; }`;
    const call =
      api === 'old'
        ? `dd.runtime.permission.requestAuthCode({ corpId: ${corp}, onSuccess: function (r) { window.__code = r.code; }, onFail: function (e) { window.__error = e; } });`
        : api === 'no-client-id'
          ? `dd.requestAuthCode({ corpId: ${corp}, fail: function (e) { window.__failed = e; } }).then(${done});`
          : api === 'other-corp-app'
            ? `dd.requestAuthCode({ corpId: ${corp}, clientId: ${JSON.stringify(appB.appKey)} }).then(${done});`
            : `dd.requestAuthCode({ corpId: ${corp}, clientId: ${client} }).then(${done});`;
    return `<!doctype html><html><body><h1>Workbench</h1>
<script src="${sim.url}/standins/dingtalk.js"></script>
<script>dd.ready(function () { window.__platform = dd.env.platform; ${call} });</script></body></html>`;
  }

  async function withPage<T>(fn: (page: Page) => Promise<T>): Promise<T> {
    const context = await browser.newContext();
    try {
      return await fn(await context.newPage());
    } finally {
      await context.close();
    }
  }

  it('DTFrameLogin: scanning as a member calls successCbk with an authCode the API accepts', async () => {
    const result = await withPage(async (page) => {
      await page.goto(`${hostUrl}/qr`);
      const frame = page.frameLocator('#login iframe');
      await frame.getByRole('button', { name: 'Scan as 张三' }).click();
      await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result);
      const iframeSize = await page.$eval('#login iframe', (el) => [el.getAttribute('width'), el.getAttribute('height')]);
      expect(iframeSize).toEqual(['320', '420']);
      return page.evaluate(() => (window as unknown as { __result: { authCode: string; state: string; redirectUrl: string } }).__result);
    });
    expect(result.state).toBe('st-42');
    expect(new URL(result.redirectUrl).searchParams.get('authCode')).toBe(result.authCode);
    const token = await userToken(sim.apiUrl, result.authCode);
    expect(token.body.corpId).toBe(corpA.corpId);
  });

  it('DTFrameLogin: an unknown client_id calls errorCbk', async () => {
    const error = await withPage(async (page) => {
      await page.goto(`${hostUrl}/qr?client_id=dingunknown000000000`);
      await page.waitForFunction(() => (window as unknown as { __error?: string }).__error);
      return page.evaluate(() => (window as unknown as { __error: string }).__error);
    });
    expect(error).toContain('dingunknown000000000');
  });

  it('DTFrameLogin: without prompt, or without org_type under scope "openid corpid", errorCbk gets the reason', async () => {
    for (const omit of ['prompt', 'org_type', 'corpId']) {
      const error = await withPage(async (page) => {
        await page.goto(`${hostUrl}/qr?omit=${omit}`);
        await page.waitForFunction(() => (window as unknown as { __error?: string }).__error);
        return page.evaluate(() => (window as unknown as { __error: string }).__error);
      });
      expect(error).toContain(`缺少参数 ${omit}`);
    }
  });

  it('DTFrameLogin: without client_id it fails at once with "Missing parameters", as DingTalk\'s script does', async () => {
    const error = await withPage(async (page) => {
      await page.goto(`${hostUrl}/qr?omit=client_id`);
      await page.waitForFunction(() => (window as unknown as { __error?: string }).__error);
      return page.evaluate(() => (window as unknown as { __error: string }).__error);
    });
    expect(error).toBe('Missing parameters');
  });

  // docs/dingtalk-facts.md §4a: dd.requestAuthCode({corpId, clientId}); the JSAPI page lists both as 必填, and
  // a refusal reaches the fail callback as {errorCode, errorMessage}.
  it('dd.requestAuthCode without clientId: the fail callback and the Promise get {errorCode: -1, errorMessage}', async () => {
    const { failed, error } = await withPage(async (page) => {
      await page.goto(`${hostUrl}/wb?api=no-client-id&dd_sim_user=lisi`);
      await page.waitForFunction(() => (window as unknown as { __error?: unknown }).__error);
      return page.evaluate(() => ({ failed: (window as unknown as { __failed: unknown }).__failed, error: (window as unknown as { __error: unknown }).__error }));
    });
    expect(failed).toEqual({ errorCode: -1, errorMessage: 'clientId is required' });
    expect(error).toEqual(failed);
  });

  it('dd.requestAuthCode with another corp\'s app: refused (errorCode 3), no code', async () => {
    const error = await withPage(async (page) => {
      await page.goto(`${hostUrl}/wb?api=other-corp-app&dd_sim_user=lisi`);
      await page.waitForFunction(() => (window as unknown as { __error?: unknown }).__error);
      return page.evaluate(() => (window as unknown as { __error: { errorCode: number; errorMessage: string } }).__error);
    });
    expect(error.errorCode).toBe(3);
    expect(error.errorMessage).toContain(appB.appKey);
  });

  // Issue #20 item 8: a page of another origin reproduces the attack: it may neither read the admin
  // routes nor change the org with a plain form post.
  it('a page of another origin can neither read the admin routes nor remove a member with a form post', async () => {
    const { read, status } = await withPage(async (page) => {
      const answered = page.waitForResponse((r) => r.url().endsWith('/__sim/members/remove'));
      await page.goto(`${hostUrl}/attack`);
      const response = await answered;
      await page.waitForFunction(() => (window as unknown as { __read?: unknown }).__read !== undefined);
      return { read: await page.evaluate(() => (window as unknown as { __read: unknown }).__read), status: response.status() };
    });
    expect(status).toBe(403);
    expect(read).toBe('blocked');
    const still = await topapi(sim.oapiUrl, '/topapi/v2/user/get', await appToken(sim.apiUrl), { userid: 'zhaoliu' });
    expect(still.body.errcode).toBe(0);
  });

  it('dd.requestAuthCode: the member named by ?dd_sim_user gets a workbench code', async () => {
    const { code, platform } = await withPage(async (page) => {
      await page.goto(`${hostUrl}/wb?dd_sim_user=lisi`);
      await page.waitForFunction(() => (window as unknown as { __code?: string }).__code);
      return page.evaluate(() => ({ code: (window as unknown as { __code: string }).__code, platform: (window as unknown as { __platform: string }).__platform }));
    });
    expect(platform).toBe('pc');
    const info = await topapi(sim.oapiUrl, '/topapi/v2/user/getuserinfo', await appToken(sim.apiUrl), { code });
    expect(info.body.result.userid).toBe('lisi');
  });

  it('dd.runtime.permission.requestAuthCode: without a preset member, an accessible dialog asks who you are', async () => {
    const code = await withPage(async (page) => {
      await page.goto(`${hostUrl}/wb?api=old`);
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      const focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
      expect(focused).toMatch(/^Continue as /);
      await dialog.getByRole('button', { name: `Continue as ${memberOf(corpA, 'wangwu').name} (wangwu)` }).click();
      await page.waitForFunction(() => (window as unknown as { __code?: string }).__code);
      expect(await page.getByRole('dialog').count()).toBe(0);
      return page.evaluate(() => (window as unknown as { __code: string }).__code);
    });
    const info = await topapi(sim.oapiUrl, '/topapi/v2/user/getuserinfo', await appToken(sim.apiUrl), { code });
    expect(info.body.result.userid).toBe('wangwu');
  });
});
