/**
 * Subresource integrity for DingTalk's scripts (issue #20 item 6), in a real Chromium. The attack: a
 * tampered CDN or company mirror serves its own code at the QR frame's or the JSAPI's URL; without a
 * pin the page runs it (reproduced below, the state before the fix). With app.json
 * `dingtalk.scriptIntegrity` pinned, the browser refuses a script whose bytes do not hash to the
 * pin, and the page shows its plain-words fallback instead of hanging. With the right hash the
 * scripts run and the login completes. A pinned script needs CORS: a mirror that sends no
 * Access-Control-Allow-Origin has even the genuine script refused.
 */
import type { Browser, Page } from 'playwright-core';
import { DINGTALK_SCRIPT_PATHS } from '../../dingtalk/page-scripts';
import { standinIntegrity } from '../../sim/standin-scripts';
import { browserAvailability, launchBrowser } from '../helpers/browser';
import { ACME_LOGIN, corpA, member, startTestHost, type TestHost } from '../http/helpers';
import { startScriptMirror, type ScriptMirror } from '../http/script-mirror';
import { useSimulator } from '../helpers/simulator';

const availability = browserAvailability();
const suite = availability.available ? describe : describe.skip;

/** What a tampered copy does: marks the page, and passes for the real API so nobody notices. */
const TAMPERED = {
  [DINGTALK_SCRIPT_PATHS.ddLogin]: `window.__tampered = 'ddLogin';
window.DTFrameLogin = function (frame) { document.getElementById(frame.id).textContent = 'a fake QR code'; };`,
  [DINGTALK_SCRIPT_PATHS.dingtalkJsapi]: `window.__tampered = 'dingtalkJsapi';
window.dd = { env: { platform: 'pc' }, ready: function (run) { run(); }, requestAuthCode: function () { document.title = 'pwned'; return new Promise(function () {}); } };`,
};

suite('DingTalk scripts with subresource integrity, in Chromium', () => {
  const sim = useSimulator();
  let browser: Browser;
  let tampered: ScriptMirror;
  const hosts: TestHost[] = [];

  beforeAll(async () => {
    [browser, tampered] = await Promise.all([launchBrowser(), startScriptMirror({ files: TAMPERED })]);
  });
  afterAll(async () => {
    await Promise.all(hosts.map((h) => h.close()));
    await browser?.close();
    await tampered?.close();
  });

  /** A host whose DingTalk scripts come from app.json's `dingtalk` settings alone (no test override). */
  async function hostWith(dingtalk: Record<string, unknown>): Promise<TestHost> {
    const t = await startTestHost({ sim, settings: { dingtalk }, host: { scripts: undefined, scriptIntegrity: undefined } });
    hosts.push(t);
    return t;
  }

  interface Opened {
    page: Page;
    /** Console errors (integrity and CORS refusals are reported there). */
    errors: string[];
    close(): Promise<void>;
  }

  async function open(t: TestHost, path: string): Promise<Opened> {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      // Every console error counts, the browser's own favicon request included (the host answers it 204).
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
    await page.goto(t.url + path);
    return { page, errors, close: () => context.close() };
  }

  const panel = (page: Page) => page.locator(`section[data-instance="${ACME_LOGIN}"]`);
  const tamperedMark = (page: Page) => page.evaluate(() => (window as unknown as { __tampered?: string }).__tampered ?? null);

  test('before the fix, and still without a pin: a tampered mirror\'s QR script runs in the login page', async () => {
    const t = await hostWith({ scriptBase: tampered.url });
    const { page, close } = await open(t, '/login');
    try {
      await panel(page).getByText('a fake QR code').waitFor();
      expect(await tamperedMark(page)).toBe('ddLogin');
      expect(await page.locator('script[integrity]').count()).toBe(0);
    } finally {
      await close();
    }
  });

  test('the right hash (the simulator as the mirror): the QR script runs, the scan signs in, no console error', async () => {
    const t = await hostWith({ scriptBase: sim.url, scriptIntegrity: standinIntegrity() });
    const { page, errors, close } = await open(t, '/login');
    try {
      const tag = page.locator(`script[src="${sim.url}${DINGTALK_SCRIPT_PATHS.ddLogin}"]`);
      expect(await tag.getAttribute('integrity')).toBe(standinIntegrity().ddLogin);
      expect(await tag.getAttribute('crossorigin')).toBe('anonymous');
      const zhangsan = member(corpA, 'zhangsan');
      await panel(page).frameLocator('iframe').getByRole('button', { name: `Scan as ${zhangsan.name}` }).click();
      await panel(page).locator('[data-role="signed-in"] [data-role="user-name"]').getByText(zhangsan.name).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  test('the right hash on the workbench page: the JSAPI runs and signs in without a click', async () => {
    const t = await hostWith({ scriptBase: sim.url, scriptIntegrity: standinIntegrity() });
    const wangwu = member(corpA, 'wangwu');
    const { page, errors, close } = await open(t, `/login/workbench?corpId=${corpA.corpId}&dd_sim_user=${wangwu.userid}`);
    try {
      expect(await page.locator('script[integrity]').getAttribute('integrity')).toBe(standinIntegrity().dingtalkJsapi);
      await panel(page).locator('[data-role="signed-in"] [data-role="user-name"]').getByText(wangwu.name).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  test('a tampered mirror with the hashes pinned: the browser refuses the QR script, and the page says the sign-in could not load', async () => {
    const t = await hostWith({ scriptBase: tampered.url, scriptIntegrity: standinIntegrity() });
    const asked = tampered.requests.length;
    const { page, errors, close } = await open(t, '/login');
    try {
      const status = panel(page).locator('[data-role="status"][data-code="FRAME_UNAVAILABLE"]');
      await status.waitFor();
      expect(await status.textContent()).toContain('The DingTalk sign-in could not load');
      // The browser did fetch the tampered file, and refused to run it.
      expect(tampered.requests.slice(asked)).toContain(DINGTALK_SCRIPT_PATHS.ddLogin);
      expect(await tamperedMark(page)).toBeNull();
      expect(await panel(page).getByText('a fake QR code').count()).toBe(0);
      expect(errors.join('\n')).toMatch(/integrity/);
      // The way out stays: the full-page sign-in does not need the script.
      expect(await panel(page).locator('[data-role="full-page"]').count()).toBe(1);
    } finally {
      await close();
    }
  });

  test('a tampered mirror with the hashes pinned, on the workbench page: the JSAPI is refused, the page says so and links to the QR sign-in', async () => {
    const t = await hostWith({ scriptBase: tampered.url, scriptIntegrity: standinIntegrity() });
    const { page, errors, close } = await open(t, `/login/workbench?corpId=${corpA.corpId}`);
    try {
      await panel(page).locator('[data-role="status"][data-code="NOT_IN_DINGTALK"]').waitFor();
      expect(await panel(page).getByRole('link').getAttribute('href')).toBe('/login');
      expect(await tamperedMark(page)).toBeNull();
      expect(await page.title()).not.toBe('pwned');
      expect(errors.join('\n')).toMatch(/integrity/);
    } finally {
      await close();
    }
  });

  test('a mirror without Access-Control-Allow-Origin: even the genuine script is refused once pinned (the mirror must send CORS)', async () => {
    const genuine = Object.fromEntries(
      await Promise.all(Object.values(DINGTALK_SCRIPT_PATHS).map(async (p) => [p, await (await fetch(sim.url + p)).text()] as const)),
    );
    const noCors = await startScriptMirror({ files: genuine, cors: false });
    try {
      const t = await hostWith({ scriptBase: noCors.url, scriptIntegrity: standinIntegrity() });
      const { page, errors, close } = await open(t, '/login');
      try {
        await panel(page).locator('[data-role="status"][data-code="FRAME_UNAVAILABLE"]').waitFor();
        expect(noCors.requests).toContain(DINGTALK_SCRIPT_PATHS.ddLogin);
        expect(errors.join('\n')).toMatch(/CORS|Access-Control-Allow-Origin/);
      } finally {
        await close();
      }
    } finally {
      await noCors.close();
    }
  });
});
