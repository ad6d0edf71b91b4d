/**
 * The front-end stand-ins in real Chromium: DTFrameLogin renders the simulator's QR frame and hands
 * back the authCode; window.dd mints workbench codes for the member named in the URL or chosen in
 * an accessible dialog. The host page lives on its own origin, as an app's login page would.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { startSimulator, type SimulatorHandle } from '../../sim';
import { browserAvailability, launchBrowser } from '../helpers/browser';
import { appA, appToken, corpA, memberOf, topapi, userToken } from './helpers';

const maybe = browserAvailability().available ? describe : describe.skip;

maybe('stand-ins in Chromium', () => {
  let sim: SimulatorHandle;
  let host: http.Server;
  let hostUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    sim = await startSimulator();
    host = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://host.local');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(url.pathname === '/qr' ? qrPage(url.searchParams.get('client_id') ?? appA.appKey) : workbenchPage(url.searchParams.get('api') ?? 'new'));
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => host?.close(resolve));
    await sim?.close();
  });

  function qrPage(clientId: string): string {
    return `<!doctype html><html><body><div id="login"></div>
<script src="${sim.loginUrl}/standins/ddlogin.js"></script>
<script>
  window.DTFrameLogin({ id: 'login', width: 320, height: 420 },
    { redirect_uri: encodeURIComponent(location.origin + '/callback'), client_id: ${JSON.stringify(clientId)},
      scope: 'openid corpid', response_type: 'code', prompt: 'consent', state: 'st-42' },
    function (result) { window.__result = result; },
    function (message) { window.__error = message; });
</script></body></html>`;
  }

  function workbenchPage(api: string): string {
    const call =
      api === 'old'
        ? `dd.runtime.permission.requestAuthCode({ corpId: ${JSON.stringify(corpA.corpId)}, onSuccess: function (r) { window.__code = r.code; }, onFail: function (e) { window.__error = e; } });`
        : `dd.requestAuthCode({ corpId: ${JSON.stringify(corpA.corpId)}, clientId: ${JSON.stringify(appA.appKey)} }).then(function (r) { window.__code = r.code; }, function (e) { window.__error = e; });`;
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
