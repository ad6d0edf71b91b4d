/**
 * The admin console in a real Chromium against a watching host and the DingTalk simulator: an admin
 * signs in through the QR frame and comes back to /admin, finds a user, disables them (their session
 * is refused, the audit event is listed), runs a dry-run sync and applies it, creates a login
 * instance through the form (jit validate passes on the written files; the new instance is served
 * after hot reload); a non-admin gets 403 and a cross-origin POST changes nothing; the login page
 * renders in Chinese for zh-CN and in English for en. No CSP violation or page error may occur.
 * With JIT_UPDATE_SCREENSHOTS=1 it also refreshes the screenshots in docs/.
 */
import * as path from 'path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { runCli } from '../cli/run-cli';
import { browserAvailability, launchBrowser } from '../helpers/browser';
import { appA, appB, corpB, type TestHost } from '../http/helpers';
import { ACME_LOGIN, CORP, corpA, member, startConsoleHost, userOf } from '../console/support';

const DOCS = path.join(__dirname, '..', '..', 'docs');
const SCREENSHOTS = process.env.JIT_UPDATE_SCREENSHOTS === '1';
const availability = browserAvailability();
const suite = availability.available ? describe : describe.skip;

suite('the admin console in Chromium', () => {
  let t: TestHost;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let problems: string[];

  beforeAll(async () => {
    [t, browser] = await Promise.all([startConsoleHost({ load: { watch: true } }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  beforeEach(() => {
    problems = [];
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
    expect(problems).toEqual([]);
  });

  async function newPage(options: { locale?: string } = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1180, height: 860 }, deviceScaleFactor: 1, locale: options.locale ?? 'en-US' });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused to/.test(message.text())) problems.push(`console: ${message.text()}`);
    });
    return page;
  }

  /** Scans the QR frame of the Acme login as a member (the simulator's frame, as in login.test.ts). */
  async function scan(page: Page, userid: string): Promise<void> {
    const section = page.locator(`section[data-instance="${ACME_LOGIN}"]`);
    await section.frameLocator('iframe').getByRole('button', { name: `Scan as ${member(corpA, userid).name}` }).click();
  }

  /** An admin's page: anonymous /admin, sent to sign in, scans, comes back to the console. */
  async function adminPage(options: { locale?: string } = {}): Promise<Page> {
    const page = await newPage(options);
    await page.goto(`${t.url}/admin`);
    await page.waitForURL(`${t.url}/login?next=%2Fadmin`);
    await scan(page, 'zhangsan');
    await page.waitForURL(`${t.url}/admin`);
    return page;
  }

  async function signedInMember(userid: string): Promise<Page> {
    const page = await newPage();
    await page.goto(`${t.url}/login`);
    await scan(page, userid);
    await page.locator(`section[data-instance="${ACME_LOGIN}"] [data-role="signed-in"]`).waitFor();
    return page;
  }

  test('sign in to /admin through the QR page and come back; a non-admin gets 403', async () => {
    const page = await adminPage();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    expect(await page.locator('[data-role="admin-name"]').textContent()).toBe(member(corpA, 'zhangsan').name);
    expect(await page.locator('[data-role="overview-corps"]').textContent()).toContain(CORP);
    expect(await page.locator('[data-role="overview-logins"] [data-role="doctor"]').first().textContent()).toBe('Not run yet');
    if (SCREENSHOTS) await page.screenshot({ path: path.join(DOCS, 'console-overview.png'), fullPage: true });

    const wangwu = await signedInMember('wangwu');
    const response = await wangwu.goto(`${t.url}/admin`);
    expect(response!.status()).toBe(403);
    expect(await wangwu.locator('[data-role="message"]').textContent()).toContain('Only the administrators of Acme HR may use the console');
  });

  test('find a user, disable them: their session is refused and the audit event is listed', async () => {
    const lisiPage = await signedInMember('lisi');
    expect((await lisiPage.request.get(`${t.url}/api/me`)).status()).toBe(200);
    const lisi = member(corpA, 'lisi');

    const page = await adminPage();
    await page.getByRole('link', { name: 'Users and bindings' }).click();
    await page.getByLabel('Name, phone, username or DingTalk userid').fill(lisi.name);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('[data-role="user-results"]').getByRole('link', { name: 'lisi' }).click();
    await page.getByRole('heading', { level: 1, name: lisi.name }).waitFor();
    expect(await page.locator('[data-role="bound-account"]').textContent()).toBe('lisi');
    await page.locator('[data-role="disable"]').click();
    await page.locator('[data-role="enable"]').waitFor();
    expect(await page.locator('[data-role="user-status"]').textContent()).toBe('Disabled');

    expect((await lisiPage.request.get(`${t.url}/api/me`)).status()).toBe(401);
    await lisiPage.goto(`${t.url}/`);
    expect(await lisiPage.locator('[data-role="signed-out"]').count()).toBe(1);

    await page.getByRole('link', { name: 'Audit trail' }).click();
    await page.getByLabel('Type (login.failed, admin.*)').fill('admin.*');
    await page.getByRole('button', { name: 'Filter' }).click();
    const events = page.locator('[data-role="audit-events"]');
    await events.waitFor();
    expect(await events.locator('[data-role="event-type"]').first().textContent()).toBe('admin.user.disabled');
    expect(await events.textContent()).toContain(`adminUserId=${(await userOf(t, 'zhangsan')).id}`);
  }, 120_000);

  test('a cross-origin POST from another site changes nothing', async () => {
    const page = await adminPage();
    const { id } = await userOf(t, 'wangwu');
    // A page of another origin (the simulator's) in the admin's browser posts to the console's API.
    await page.goto(`${t.sim.url}/healthz`).catch(() => undefined);
    await page.evaluate(async (target) => {
      await fetch(target, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: '{}' }).catch(() => undefined);
    }, `${t.url}/admin/api/users/${id}/disable`);
    expect((await t.app.users.findById(id))!.disabled).toBe(false);
    expect((await t.app.audit.list({ user: id, type: 'admin.user.disabled' })).events).toEqual([]);
  });

  test('a dry-run sync shows the diff; apply runs it', async () => {
    const page = await adminPage();
    await page.getByRole('link', { name: 'Organisation sync' }).click();
    const corp = page.locator(`section[data-corp="${CORP}"]`);
    await corp.getByRole('button', { name: 'Dry run' }).click();
    const result = corp.locator('[data-role="sync-result"][data-state="dry-run"]');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.getByRole('heading', { name: 'What a sync would change' }).count()).toBe(1);
    expect(await result.locator('[data-role="sync-added"]').textContent()).toContain('(wangfang01)');
    if (SCREENSHOTS) await page.screenshot({ path: path.join(DOCS, 'console-sync.png'), fullPage: true });
    const usersBefore = (await t.app.users.list()).length;

    await result.getByRole('button', { name: 'Apply: run the sync' }).click();
    const applied = corp.locator('[data-role="sync-result"][data-state="applied"]');
    await applied.waitFor({ timeout: 60_000 });
    expect(await applied.getByRole('heading', { name: 'The sync is done' }).count()).toBe(1);
    expect((await t.app.users.list()).length).toBeGreaterThan(usersBefore);
  }, 120_000);

  test('create a login instance through the form: checked as you type, jit validate passes, served after hot reload', async () => {
    const page = await adminPage();
    await page.getByRole('link', { name: 'Login instances' }).click();
    await page.getByLabel('Type').selectOption('auths.loginTypes.DDInnerType');
    await page.getByRole('button', { name: 'New login instance' }).click();
    await page.getByRole('heading', { level: 1, name: 'New login instance' }).waitFor();
    const checks = page.locator('[data-role="check-results"]');

    await page.getByLabel('Name (fullName)').fill('otherLogin');
    await page.getByLabel('Title', { exact: true }).fill('DingTalk: Other Corp');
    await page.getByLabel('AppKey (Client ID)').fill('too-short');
    await checks.locator('[data-code="CONFIG_INVALID"]').first().waitFor();
    expect(await page.locator('[data-field="/authConfig/appKey"] [data-role="field-error"]').textContent()).toContain('CONFIG_INVALID');

    await page.getByLabel('AppKey (Client ID)').fill(appB.appKey);
    await page.getByLabel('AppSecret (Client Secret) · Environment variable').fill('DD_APP_SECRET_B');
    await page.getByLabel('AgentId').fill(String(appB.agentId));
    await page.getByLabel('CorpId').fill(corpB.corpId);
    await page.locator('[data-field="/binding/whenNotAssociated"] select').selectOption({ label: 'bindExisting' });
    await page.locator('[data-role="check-results"][data-state="valid"]').waitFor();
    expect(await page.locator('[data-secret="/authConfig/appSecret"]').textContent()).toBe('DD_APP_SECRET_B is set on this host.');
    if (SCREENSHOTS) await page.screenshot({ path: path.join(DOCS, 'console-form.png'), fullPage: true });

    await page.getByRole('button', { name: 'Create' }).click();
    const status = page.locator('[data-role="console-status"][data-state="live"]');
    await status.waitFor({ timeout: 30_000 });
    expect(await status.textContent()).toContain('auths.loginTypes.otherLogin is live');

    Object.assign(process.env, { DD_APP_SECRET: appA.appSecret, DD_APP_SECRET_B: appB.appSecret });
    try {
      const validate = await runCli('validate', '--app', t.dir);
      expect(validate.code).toBe(0);
    } finally {
      delete process.env.DD_APP_SECRET;
      delete process.env.DD_APP_SECRET_B;
    }

    const login = await newPage();
    await login.goto(`${t.url}/login`);
    await login.getByRole('heading', { level: 2, name: 'DingTalk: Other Corp' }).waitFor();
    await login.locator('section[data-instance="auths.loginTypes.otherLogin"] iframe').waitFor();
  }, 120_000);

  test('the login page in Chinese for zh-CN and in English for en; the console in Chinese', async () => {
    const chinese = await newPage({ locale: 'zh-CN' });
    await chinese.goto(`${t.url}/login`);
    expect(await chinese.getAttribute('html', 'lang')).toBe('zh-CN');
    await chinese.getByRole('heading', { level: 1, name: '登录Acme HR' }).waitFor();
    await chinese.locator(`section[data-instance="${ACME_LOGIN}"] iframe`).waitFor();
    expect(await chinese.locator(`section[data-instance="${ACME_LOGIN}"]`).textContent()).toContain('请使用钉钉 App 扫码登录');
    if (SCREENSHOTS) await chinese.screenshot({ path: path.join(DOCS, 'login-zh-CN.png'), fullPage: true });

    const english = await newPage({ locale: 'en-US' });
    await english.goto(`${t.url}/login`);
    expect(await english.getAttribute('html', 'lang')).toBe('en');
    await english.getByRole('heading', { level: 1, name: 'Sign in to Acme HR' }).waitFor();
    await english.locator(`section[data-instance="${ACME_LOGIN}"] iframe`).waitFor();
    expect(await english.locator(`section[data-instance="${ACME_LOGIN}"]`).textContent()).toContain('Scan with the DingTalk app');
    if (SCREENSHOTS) await english.screenshot({ path: path.join(DOCS, 'login-en.png'), fullPage: true });

    // ?lang= switches and is remembered.
    await english.getByRole('link', { name: '中文' }).click();
    await english.getByRole('heading', { level: 1, name: '登录Acme HR' }).waitFor();
    await english.goto(`${t.url}/login`);
    expect(await english.getAttribute('html', 'lang')).toBe('zh-CN');

    const console = await adminPage({ locale: 'zh-CN' });
    await console.getByRole('heading', { level: 1, name: '概览' }).waitFor();
    if (SCREENSHOTS) await console.screenshot({ path: path.join(DOCS, 'console-zh-CN.png'), fullPage: true });
  }, 120_000);
});
