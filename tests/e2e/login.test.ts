/**
 * The login pages in a real headless Chromium against the host and the DingTalk simulator's
 * stand-ins: QR scan as a member, the bindExisting form (password, and phone + code), the
 * full-page redirect flow, an error in plain words, and the workbench page. Each test uses its own
 * browser context (no shared cookies); no CSP violation or page error may occur.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserAvailability, launchBrowser } from '../helpers/browser';
import { ACME_LOGIN, OTHER_LOGIN, STAFF_LOGIN, corpA, corpB, demo, member, startTestHost, type TestHost } from '../http/helpers';

const availability = browserAvailability();
const suite = availability.available ? describe : describe.skip;

suite('login pages in Chromium', () => {
  let t: TestHost;
  let browser: Browser;
  let context: BrowserContext;
  let problems: string[];

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestHost(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext();
    problems = [];
  });
  afterEach(async () => {
    await context.close();
    expect(problems).toEqual([]);
  });

  async function open(path: string): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused to/.test(message.text())) problems.push(`console: ${message.text()}`);
    });
    await page.goto(t.url + path);
    return page;
  }

  const section = (page: Page, instance: string) => page.locator(`section[data-instance="${instance}"]`);

  async function scan(page: Page, instance: string, name: string): Promise<void> {
    await section(page, instance).frameLocator('iframe').getByRole('button', { name: `Scan as ${name}` }).click();
  }

  async function signedInName(page: Page, instance: string): Promise<string> {
    const card = section(page, instance).locator('[data-role="signed-in"]');
    await card.waitFor();
    return (await card.locator('[data-role="user-name"]').textContent()) ?? '';
  }

  async function homeUser(page: Page): Promise<string> {
    await page.goto(t.url + '/');
    return (await page.locator('[data-role="user-name"]').textContent()) ?? '';
  }

  test('QR: scan as a member in the frame, land signed in, and see the bound user', async () => {
    const zhangsan = member(corpA, 'zhangsan');
    const page = await open('/login');
    expect(await page.getByRole('heading', { level: 2, name: 'DingTalk: Acme Demo Corp' }).count()).toBe(1);
    await scan(page, ACME_LOGIN, zhangsan.name);
    expect(await signedInName(page, ACME_LOGIN)).toBe(zhangsan.name);
    expect(await homeUser(page)).toBe(zhangsan.name);
    const me = await page.request.get(t.url + '/api/me');
    const body = await me.json();
    expect(body.data.user).toMatchObject({ displayName: zhangsan.name, phone: zhangsan.mobile });
    // The session is an HttpOnly cookie: page scripts cannot read it.
    expect(await page.evaluate(() => document.cookie)).not.toContain('jit_session');
  });

  test('bindExisting with a password: a wrong one is refused in plain words, the right one links and signs in; the next scan goes straight in', async () => {
    const sunqi = member(corpB, 'sunqi');
    await t.app.users.create({ username: 'sunqi.local', displayName: 'Sun Qi (local account)', password: 'correct horse battery', source: 'cli' });
    const page = await open('/login');
    await scan(page, OTHER_LOGIN, sunqi.name);
    const panel = section(page, OTHER_LOGIN);
    await panel.locator('[data-role="bind"]').waitFor();
    const passwordForm = panel.getByRole('tabpanel', { name: 'Password' });
    await passwordForm.getByLabel('Username').fill('sunqi.local');
    await passwordForm.getByLabel('Password').fill('wrong password');
    await panel.getByRole('button', { name: 'Link and sign in' }).click();
    await panel.locator('[data-role="status"][data-code="CREDENTIALS_INVALID"]').waitFor();
    expect(await panel.locator('[data-role="status"]').textContent()).toContain('do not match an account in Acme HR');
    await passwordForm.getByLabel('Password').fill('correct horse battery');
    await panel.getByRole('button', { name: 'Link and sign in' }).click();
    expect(await signedInName(page, OTHER_LOGIN)).toBe('Sun Qi (local account)');

    const again = await (await browser.newContext()).newPage();
    try {
      await again.goto(t.url + '/login');
      await section(again, OTHER_LOGIN).frameLocator('iframe').getByRole('button', { name: `Scan as ${sunqi.name}` }).click();
      expect(await signedInName(again, OTHER_LOGIN)).toBe('Sun Qi (local account)');
    } finally {
      await again.context().close();
    }
  });

  test('bindExisting with phone + verification code', async () => {
    const carol = member(corpB, 'carol.wu');
    await t.app.users.create({ username: 'carol.local', displayName: 'Carol (local account)', phone: carol.mobile!, source: 'cli' });
    const page = await open('/login');
    await scan(page, OTHER_LOGIN, carol.name);
    const panel = section(page, OTHER_LOGIN);
    await panel.getByRole('tab', { name: 'Phone and code' }).click();
    await panel.getByLabel('Phone number of your account').fill(carol.mobile!);
    const before = t.sent.length;
    await panel.getByRole('button', { name: 'Send code' }).click();
    await panel.getByLabel('Verification code').waitFor();
    const sent = t.sent.slice(before).find((s) => s.phone.endsWith(carol.mobile!.slice(-8)));
    expect(sent).toBeDefined();
    await panel.getByLabel('Verification code').fill(sent!.code);
    await panel.getByRole('button', { name: 'Link and sign in' }).click();
    expect(await signedInName(page, OTHER_LOGIN)).toBe('Carol (local account)');
  });

  test('full-page sign-in: DingTalk\'s authorize page, back through /login/callback, signed in on /', async () => {
    const lisi = member(corpA, 'lisi');
    const page = await open('/login');
    await section(page, ACME_LOGIN).getByRole('button', { name: 'Use full-page sign-in' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${t.sim.loginUrl}/oauth2/auth`));
    await page.getByRole('button', { name: `Scan as ${lisi.name}` }).click();
    await page.waitForURL(`${t.url}/`);
    expect(await page.locator('[data-role="user-name"]').textContent()).toBe(lisi.name);
  });

  test('someone outside the organisation is told so in plain words', async () => {
    const outsider = demo.outsiders![0];
    const page = await open('/login');
    await scan(page, ACME_LOGIN, outsider.name);
    const status = section(page, ACME_LOGIN).locator('[data-role="status"][data-code="NOT_CORP_MEMBER"]');
    await status.waitFor();
    expect(await status.textContent()).toContain('This DingTalk account is not a member of Acme HR');
    expect(await section(page, ACME_LOGIN).getByRole('button', { name: 'Try again' }).count()).toBe(1);
  });

  test('username and password (PasswordType): the host\'s own panel signs in', async () => {
    await t.app.users.create({ username: 'payroll', displayName: 'Payroll Clerk', password: 'pay day every friday', source: 'cli' });
    const page = await open('/login');
    const panel = section(page, STAFF_LOGIN);
    await panel.getByLabel('Username').fill('payroll');
    await panel.getByLabel('Password').fill('pay day every friday');
    await panel.getByRole('button', { name: 'Sign in' }).click();
    expect(await signedInName(page, STAFF_LOGIN)).toBe('Payroll Clerk');
  });

  test('workbench page: inside DingTalk as a member (dd_sim_user), signed in without a click', async () => {
    const wangwu = member(corpA, 'wangwu');
    const page = await open(`/login/workbench?corpId=${corpA.corpId}&dd_sim_user=${wangwu.userid}`);
    expect(await signedInName(page, ACME_LOGIN)).toBe(wangwu.name);
    expect(await homeUser(page)).toBe(wangwu.name);
  });

  test('workbench page: the simulated DingTalk asks who is using it, then signs in', async () => {
    const zhaoliu = member(corpA, 'zhaoliu');
    const page = await open(`/login/workbench?corpId=${corpA.corpId}`);
    await page.getByRole('dialog').getByRole('button', { name: `Continue as ${zhaoliu.name} (${zhaoliu.userid})` }).click();
    expect(await signedInName(page, ACME_LOGIN)).toBe(zhaoliu.name);
  });
});
