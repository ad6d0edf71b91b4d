/**
 * The newcomer's path through `npm start` (`jit serve apps/demo --sim`), in a real Chromium: open
 * /login, sign in on the simulator's stand-in of DingTalk's own page (the demo asks for
 * `openid corpid`) as a demo member, land signed in, see the bound user.
 * With JIT_UPDATE_SCREENSHOTS=1 it also refreshes docs/login-page.png.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { describeServer, startServe, type RunningServer } from '../../cli/commands/serve';
import { silentLogger } from '../../runtime/logger';
import { browserAvailability, launchBrowser } from '../helpers/browser';

const ROOT = path.join(__dirname, '..', '..');
const availability = browserAvailability();
const suite = availability.available ? describe : describe.skip;

suite('the demo (npm start) in Chromium', () => {
  let dir: string;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jit-demo-e2e-'));
    fs.cpSync(path.join(ROOT, 'apps', 'demo'), dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}.jit`) });
    [server, browser] = await Promise.all([startServe({ dir, port: 0, sim: true, logger: silentLogger }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('open /login, scan as a member the console names, land signed in and see the bound user', async () => {
    const corp = server.sim!.org.corps[0];
    const person = corp.users[0];
    expect(describeServer(server, dir).join('\n')).toContain(`${person.name} (${person.userid}`);

    const context = await browser.newContext({ viewport: { width: 900, height: 760 }, deviceScaleFactor: 1 });
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/login`);
      // The demo's login asks for `openid corpid`: DingTalk's own sign-in page, where the person picks
      // the organisation (the QR frame would need an org_type, which is never sent; docs/dingtalk.md).
      const signIn = page.getByRole('button', { name: 'Sign in with DingTalk' });
      await signIn.waitFor();
      if (process.env.JIT_UPDATE_SCREENSHOTS === '1') {
        await page.screenshot({ path: path.join(ROOT, 'docs', 'login-page.png'), fullPage: true });
      }
      await signIn.click();
      await page.waitForURL((url) => url.href.startsWith(`${server.sim!.loginUrl}/oauth2/auth`));
      await page.getByRole('button', { name: `Scan as ${person.name}` }).click();
      await page.waitForURL(`${server.url}/`);
      expect(await page.locator('[data-role="user-name"]').textContent()).toBe(person.name);
      expect(await page.locator('[data-role="user-username"]').textContent()).toBeTruthy();
      // Sign out, and the home page offers sign-in again.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.locator('[data-role="signed-out"]').waitFor();
    } finally {
      await context.close();
    }
  });
});
