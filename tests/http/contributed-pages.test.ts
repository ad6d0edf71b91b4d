/**
 * The DingTalk login's scripts, CSP origins, workbench page and words reach the host through its
 * Type's contribution (runtime/contributions.ts), not through runtime code: so an app that replaces
 * the official Type's module with its own subclass (which exports no `hostContribution`) keeps
 * them, inherited from the class; and the runtime's own words stay family-neutral.
 */
import * as path from 'node:path';
import { DINGTALK_SCRIPTS } from '../../dingtalk/page-scripts';
import { wordsFor } from '../../runtime/i18n/words';
import { http } from './helpers';
import { useLoginApp } from '../helpers/login-app';

jest.setTimeout(60_000);

const CORP_ID = 'ding5f1e0c2b9a7d4e3f8c6b1a0d2e4f6a8c';
const HTML = { accept: 'text/html', 'accept-language': 'en' };

describe('an app whose DDInnerType module is its own subclass', () => {
  // No simulator: the host keeps DingTalk's own script URLs, which is what the page must carry.
  const env = useLoginApp({
    app: path.join(__dirname, '..', 'fixtures', 'apps', 'dd-override-app'),
    copy: true,
    env: { DD_APP_SECRET: 's'.repeat(64) },
    database: 'app-folder',
    logs: 'silent',
    host: 'in-process',
  });
  let url: string;
  beforeAll(() => {
    expect(env.app.diagnostics).toEqual([]);
    url = env.url;
  });

  test('the sign-in page loads DingTalk\'s QR frame script, and the CSP allows it and the DingTalk login host', async () => {
    const res = await http(url, 'GET', '/login', { headers: HTML });
    expect(res.status).toBe(200);
    expect(res.text).toContain(`src="${DINGTALK_SCRIPTS.ddLogin}"`);
    expect(res.text).not.toContain(DINGTALK_SCRIPTS.dingtalkJsapi);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`script-src 'self' 'nonce-`);
    expect(/script-src ([^;]+)/.exec(csp)![1].split(' ')).toEqual(expect.arrayContaining([DINGTALK_SCRIPTS.ddLogin, DINGTALK_SCRIPTS.dingtalkJsapi]));
    expect(/frame-src ([^;]+)/.exec(csp)![1]).toBe('https://login.dingtalk.com');
    expect(/img-src ([^;]+)/.exec(csp)![1]).toBe("'self' https://static-legacy.dingtalk.com");
  });

  test('its workbench page is served, with the JSAPI and the corpId for the panel; a missing corpId is refused in DingTalk\'s words', async () => {
    const res = await http(url, 'GET', `/login/workbench?corpId=${CORP_ID}`, { headers: HTML });
    expect(res.status).toBe(200);
    expect(res.text).toContain(`src="${DINGTALK_SCRIPTS.dingtalkJsapi}"`);
    const data = JSON.parse(/<script type="application\/json" id="jit-page-data">([\s\S]*?)<\/script>/.exec(res.text)![1]);
    expect(data).toMatchObject({ mode: 'workbench', corpId: CORP_ID, instances: [expect.objectContaining({ fullName: 'auths.loginTypes.acmeLogin' })] });
    expect(data.instances[0]).not.toHaveProperty('dingtalk');

    const bare = await http(url, 'GET', '/login/workbench', { headers: HTML });
    expect(bare.status).toBe(400);
    expect(bare.text).toContain('This page must be opened from the DingTalk workbench');
    const unknown = await http(url, 'GET', '/login/workbench?corpId=dingunknown', { headers: HTML });
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('Sign-in with DingTalk is not set up for this organisation.');
  });

  test('a sign-in page no Type contributes is not found', async () => {
    const res = await http(url, 'GET', '/login/nowhere', { headers: HTML });
    expect(res.status).toBe(404);
  });
});

test('the runtime\'s own words name no family; the DingTalk login says them in its terms', () => {
  for (const language of ['en', 'zh-CN'] as const) {
    const words = Object.entries(wordsFor(language)).filter(([, text]) => /dingtalk|钉钉/i.test(text));
    expect({ language, words }).toEqual({ language, words: [] });
  }
  expect(wordsFor('en')['audit.account']).toBe('External account');
});
