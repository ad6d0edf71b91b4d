/**
 * The pages in Simplified Chinese and English over real HTTP: `?lang=` wins and is remembered, then
 * the cookie, then Accept-Language (zh-CN when any Chinese is preferred), then app.json
 * `defaultLanguage`; `<html lang>` says which. Error codes are the same in every language (only the
 * words change); the DingTalk panel's words come from its Type, in the page's language.
 */
import { WORDS_EN } from '../../runtime/i18n/words-en';
import { WORDS_ZH_CN } from '../../runtime/i18n/words-zh-CN';
import { ERROR_WORDS, ERROR_WORDS_ZH_CN } from '../../runtime/http/pages/error-words';
import { PANEL_WORDS } from '../../elements/auths/loginTypes/DDInnerType/pages/panel-words';
import { cookieOf } from '../http/helpers';
import { CookieJar } from '../helpers/cookie-jar';
import { ACME_LOGIN, fn, getPage, http, pageData, signedInBrowser, startConsoleHost, useConsoleHost } from './support';

const t = useConsoleHost();


const login = (headers: Record<string, string> = {}, query = '') => http(t.url, 'GET', `/login${query}`, { headers: { accept: 'text/html', ...headers } });
const htmlLang = (html: string) => /<html lang="([^"]+)">/.exec(html)?.[1];

test('Accept-Language zh-CN: the login page in Chinese, with DingTalk\'s words for its panel', async () => {
  const res = await login({ 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' });
  expect(htmlLang(res.text)).toBe('zh-CN');
  expect(res.headers.get('content-language')).toBe('zh-CN');
  expect(res.text).toContain('<h1>登录Acme HR</h1>');
  const data = pageData(res.text);
  expect(data.language).toBe('zh-CN');
  expect(data.words.NOT_CORP_MEMBER).toContain('不是{org}的成员');
  expect(data.text['login.signIn']).toBe('登录');
  expect(data.panelWords['auths.loginTypes.DDInnerType']).toMatchObject({ bindHeading: '绑定已有账号', scanHint: expect.stringContaining('扫码登录'), workbenchProgress: expect.stringContaining('免登') });
});

test('Accept-Language en: the same page in English', async () => {
  const res = await login({ 'accept-language': 'en-US,en;q=0.9' });
  expect(htmlLang(res.text)).toBe('en');
  expect(res.text).toContain('<h1>Sign in to Acme HR</h1>');
  const data = pageData(res.text);
  expect(data.panelWords['auths.loginTypes.DDInnerType'].bindHeading).toBe('Link your existing account');
  expect(data.words.NOT_CORP_MEMBER).toContain('is not a member of {org}');
});

test('any Chinese the browser prefers means zh-CN; no language we have means app.json defaultLanguage (zh-CN by default)', async () => {
  expect(htmlLang((await login({ 'accept-language': 'zh-TW,en;q=0.5' })).text)).toBe('zh-CN');
  expect(htmlLang((await login({ 'accept-language': 'fr-FR,de;q=0.8' })).text)).toBe('zh-CN');
  const english = await startConsoleHost({ sim: t.sim, settings: { defaultLanguage: 'en' } });
  try {
    expect(htmlLang((await http(english.url, 'GET', '/login', { headers: { 'accept-language': 'fr-FR' } })).text)).toBe('en');
  } finally {
    await english.close();
  }
});

test('?lang= wins over the browser and is remembered in a cookie; the cookie then wins over Accept-Language', async () => {
  const chosen = await login({ 'accept-language': 'zh-CN' }, '?lang=en');
  expect(htmlLang(chosen.text)).toBe('en');
  expect(cookieOf(chosen, 'jit_lang')).toBe('en');
  const jar = new CookieJar().take(chosen.headers);
  const later = await http(t.url, 'GET', '/', { headers: jar.headers({ 'accept-language': 'zh-CN' }) });
  expect(htmlLang(later.text)).toBe('en');
  // An unknown ?lang= changes nothing and sets nothing.
  const unknown = await login({ 'accept-language': 'zh-CN' }, '?lang=fr');
  expect(htmlLang(unknown.text)).toBe('zh-CN');
  expect(cookieOf(unknown, 'jit_lang')).toBeNull();
  // The language links keep the page's own address.
  expect(chosen.text).toContain('href="/login?lang=zh-CN"');
});

test('error pages speak the page language; the error codes and API answers stay the same', async () => {
  const zh = await http(t.url, 'GET', '/nowhere', { headers: { accept: 'text/html', 'accept-language': 'zh-CN' } });
  expect(zh.status).toBe(404);
  expect(zh.text).toContain('页面不存在');
  const jar = new CookieJar();
  const config = await http(t.url, 'POST', fn(ACME_LOGIN, 'getLoginConfig'), { json: {} });
  jar.take(config.headers);
  const forged = (language: string) => http(t.url, 'GET', `/login/callback/${ACME_LOGIN}?authCode=x&state=forged`, { headers: jar.headers({ 'accept-language': language }) });
  const [inChinese, inEnglish] = await Promise.all([forged('zh-CN'), forged('en')]);
  expect([inChinese.status, inEnglish.status]).toEqual([400, 400]);
  expect(inChinese.text).toContain('登录页面已过期');
  expect(inEnglish.text).toContain('This sign-in page has expired');
  // The API's envelope is not translated: the code is the contract.
  const api = await http(t.url, 'POST', fn(ACME_LOGIN, 'getLoginCode'), { json: { code: 'x', loginType: 'qr', state: 'forged' }, headers: { 'accept-language': 'zh-CN' } });
  expect(api.body.error.code).toBe('STATE_INVALID');
  expect(api.body.error.message).toMatch(/^[\x20-\x7e]+$/);
});

test('the console in Chinese', async () => {
  const admin = await signedInBrowser(t, 'zhangsan');
  const page = await getPage(t, admin, '/admin', { 'accept-language': 'zh-CN' });
  expect(htmlLang(page.text)).toBe('zh-CN');
  expect(page.text).toContain('>概览</a>');
  expect(page.text).toContain('>组织架构同步</a>');
  expect(page.text).toContain('尚未运行');
  expect(pageData(page.text).words['sync.dryRun']).toBe('试运行');
});

test('every catalog has every word in both languages', () => {
  expect(Object.keys(WORDS_ZH_CN).sort()).toEqual(Object.keys(WORDS_EN).sort());
  expect(Object.keys(PANEL_WORDS['zh-CN']).sort()).toEqual(Object.keys(PANEL_WORDS.en).sort());
  for (const code of Object.keys(ERROR_WORDS)) expect([code, typeof (ERROR_WORDS_ZH_CN as Record<string, string>)[code]]).toEqual([code, 'string']);
  // The same {marks} in both languages, or a page would show a raw mark.
  const marks = (text: string) => (text.match(/\{[a-z]+\}/gi) ?? []).sort();
  for (const key of Object.keys(WORDS_EN) as Array<keyof typeof WORDS_EN>) expect([key, marks(WORDS_ZH_CN[key])]).toEqual([key, marks(WORDS_EN[key])]);
});
