/**
 * DingTalk's browser scripts come from `dingtalk.scriptBase` (app.json; a company mirroring the CDN
 * points it at its mirror), and the CSP allows exactly those two script URLs (issues #18 item 3, #20 item 6).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadApp } from '../../runtime/load-app';
import { createHost } from '../../runtime/http/host';
import { DINGTALK_SCRIPT_PATHS } from '../../dingtalk/page-scripts';
import { silentLogger } from '../../runtime/logger';
import { appA, appB, copyFixture, corpA, http } from './helpers';

test('a mirror in dingtalk.scriptBase: pages load the scripts from it, and the CSP names exactly those URLs', async () => {
  const dir = copyFixture('hr-app');
  const appJson = path.join(dir, 'app.json');
  fs.writeFileSync(appJson, JSON.stringify({ ...JSON.parse(fs.readFileSync(appJson, 'utf8')), dingtalk: { scriptBase: 'https://cdn.mirror.example/' } }));
  const app = await loadApp(dir, { logger: silentLogger, env: { DD_APP_SECRET: appA.appSecret, DD_APP_SECRET_B: appB.appSecret } });
  const host = createHost(app);
  try {
    const url = await host.listen(0);
    const page = await http(url, 'GET', '/login', { headers: { accept: 'text/html' } });
    const frameScript = `https://cdn.mirror.example${DINGTALK_SCRIPT_PATHS.ddLogin}`;
    expect(page.text).toContain(`src="${frameScript}"`);
    expect(page.text).not.toContain('g.alicdn.com');
    const scriptSrc = /script-src ([^;]+)/.exec(page.headers.get('content-security-policy') ?? '')![1].split(' ');
    expect(scriptSrc).toContain(frameScript);
    expect(scriptSrc).not.toContain('https://cdn.mirror.example');

    const workbench = await http(url, 'GET', `/login/workbench?corpId=${corpA.corpId}`, { headers: { accept: 'text/html' } });
    expect(workbench.text).toContain(`https://cdn.mirror.example${DINGTALK_SCRIPT_PATHS.dingtalkJsapi}`);
  } finally {
    await host.close();
    await app.close();
  }
});
