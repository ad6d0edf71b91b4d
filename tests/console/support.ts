/**
 * The console tests' fixture (kept beside them: the console fixture app and what a browser does with
 * it; the serving is tests/http/helpers.ts's, on tests/helpers/login-app.ts): the console fixture app (a DingTalk login for the demo's
 * Acme corp, a password login, a corp, and app.json `admins` naming the DingTalk member zhangsan,
 * the local username opsadmin and the username lisi, whom a login provisions) served by a host,
 * browsers as cookie jars, and a QR sign-in through the simulator.
 */
import * as path from 'path';
import { DDBindingStore } from '../../dingtalk/binding/binding-store';
import { CookieJar } from '../helpers/cookie-jar';
import { ACME_LOGIN, corpA, fn, http, member, qrLogin, startTestHost, useTestHost, type HttpResult, type TestHost, type TestHostOptions } from '../http/helpers';

export const CONSOLE_FIXTURE = path.join(__dirname, 'fixtures', 'console-app');
export const CORP = 'corps.acme';
export { ACME_LOGIN, corpA, fn, http, member };

export function startConsoleHost(options: TestHostOptions = {}): Promise<TestHost> {
  return startTestHost({ fixture: CONSOLE_FIXTURE, ...options });
}

/** The console fixture app served for a describe block (useTestHost of tests/http/helpers.ts). */
export function useConsoleHost(options: TestHostOptions = {}): TestHost {
  return useTestHost({ fixture: CONSOLE_FIXTURE, ...options });
}

/** A browser that signed in by scanning the QR code as `userid` of the Acme corp. */
export async function signedInBrowser(t: TestHost, userid: string, headers: Record<string, string> = {}): Promise<CookieJar> {
  const jar = new CookieJar();
  const login = await qrLogin(t, ACME_LOGIN, member(corpA, userid).unionid, headers, jar);
  if (login.status !== 200) throw new Error(`QR login as ${userid} failed: ${login.text}`);
  jar.take(login.headers);
  return jar;
}

/** A GET of a page as a browser asking for HTML (English unless told). */
export function getPage(t: TestHost, jar: CookieJar, address: string, headers: Record<string, string> = {}): Promise<HttpResult> {
  return http(t.url, 'GET', address, { headers: jar.headers({ accept: 'text/html', 'accept-language': 'en', ...headers }) });
}

/** The page data block of a host page. */
export function pageData(html: string): any {
  const match = /<script type="application\/json" id="jit-page-data">([\s\S]*?)<\/script>/.exec(html);
  if (!match) throw new Error('no page data');
  return JSON.parse(match[1]);
}

/** A console API call as the console's own script makes it: same origin, JSON, the page's CSRF token. */
export async function consolePost(t: TestHost, jar: CookieJar, address: string, body: unknown = {}, token?: string | null): Promise<HttpResult> {
  const csrf = token === undefined ? pageData((await getPage(t, jar, '/admin')).text).csrfToken : token;
  return http(t.url, 'POST', address, { json: body, headers: jar.headers({ origin: t.url, ...(csrf ? { 'x-csrf-token': csrf } : {}) }) });
}

/** The local user a QR login provisioned for an Acme member (their binding's user). */
export async function userOf(t: TestHost, userid: string): Promise<{ id: string; username: string }> {
  const binding = await new DDBindingStore(t.app.db).findByMember(corpA.corpId, userid);
  if (!binding) throw new Error(`no binding of ${userid}`);
  const user = await t.app.users.findById(binding.userId);
  return { id: user!.id, username: user!.username };
}
