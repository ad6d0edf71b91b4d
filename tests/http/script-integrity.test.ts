/**
 * The integrity hashes of DingTalk's scripts (issue #20 item 6) as the host emits them: app.json
 * `dingtalk.scriptIntegrity` puts `integrity` and `crossorigin="anonymous"` on the pinned script's
 * tag and on no other; a bad value is refused with the file, the field and the fix, and the host
 * does not start on it; the simulator serves its stand-ins at DingTalk's CDN paths and pins their
 * hashes. The browser's side (a tampered script refused) is tests/security/script-integrity.test.ts.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHost } from '../../runtime/http/host';
import { DINGTALK_SCRIPT_PATHS } from '../../dingtalk/page-scripts';
import { isSriToken, sriHash, SRI_TOKEN_PATTERN } from '../../runtime/script-integrity';
import { loadApp } from '../../runtime/load-app';
import { silentLogger } from '../../runtime/logger';
import { standinIntegrity } from '../../sim/standin-scripts';
import { runCli } from '../cli/run-cli';
import { appA, appB, copyFixture, corpA, http, startTestHost } from './helpers';
import { useSimulator } from '../helpers/simulator';

const MIRROR = 'https://cdn.mirror.example';
const PINS = {
  ddLogin: sriHash('the QR frame script'),
  dingtalkJsapi: sriHash('the JSAPI', 'sha512'),
};

const sim = useSimulator();

/** The DingTalk script tags of a page: src and the rest of the tag's attributes. */
async function dingtalkTags(url: string, pagePath: string): Promise<Array<{ src: string; rest: string }>> {
  const page = await http(url, 'GET', pagePath, { headers: { accept: 'text/html' } });
  expect(page.status).toBe(200);
  return [...page.text.matchAll(/<script defer nonce="[^"]+" src="([^"]+)"([^>]*)><\/script>/g)]
    .filter((m) => m[1].includes('/dingding/'))
    .map((m) => ({ src: m[1], rest: m[2] }));
}

/** A test host on app.json's `dingtalk` settings alone (not the test helper's simulator scripts). */
const hostWith = (dingtalk: Record<string, unknown>) => startTestHost({ sim, settings: { dingtalk }, host: { scripts: undefined, scriptIntegrity: undefined } });

describe('the integrity attribute', () => {
  test('absent unless configured: no integrity and no crossorigin on the DingTalk tags', async () => {
    const t = await hostWith({ scriptBase: MIRROR });
    try {
      expect(await dingtalkTags(t.url, '/login')).toEqual([{ src: MIRROR + DINGTALK_SCRIPT_PATHS.ddLogin, rest: '' }]);
      expect(await dingtalkTags(t.url, `/login/workbench?corpId=${corpA.corpId}`)).toEqual([{ src: MIRROR + DINGTALK_SCRIPT_PATHS.dingtalkJsapi, rest: '' }]);
    } finally {
      await t.close();
    }
  });

  test('each pinned script carries its own hash with crossorigin="anonymous"; an unpinned one carries neither', async () => {
    const onlyQr = await hostWith({ scriptBase: MIRROR, scriptIntegrity: { ddLogin: PINS.ddLogin } });
    try {
      expect(await dingtalkTags(onlyQr.url, '/login')).toEqual([{ src: MIRROR + DINGTALK_SCRIPT_PATHS.ddLogin, rest: ` integrity="${PINS.ddLogin}" crossorigin="anonymous"` }]);
      expect(await dingtalkTags(onlyQr.url, `/login/workbench?corpId=${corpA.corpId}`)).toEqual([{ src: MIRROR + DINGTALK_SCRIPT_PATHS.dingtalkJsapi, rest: '' }]);
    } finally {
      await onlyQr.close();
    }
    const both = await hostWith({ scriptBase: MIRROR, scriptIntegrity: PINS });
    try {
      expect((await dingtalkTags(both.url, `/login/workbench?corpId=${corpA.corpId}`))[0].rest).toBe(` integrity="${PINS.dingtalkJsapi}" crossorigin="anonymous"`);
      // The page's own scripts are same-origin and never get the attributes.
      const page = await http(both.url, 'GET', '/login');
      expect(page.text).toMatch(/<script defer nonce="[^"]+" src="\/assets\/jit\/jit-login.js"><\/script>/);
    } finally {
      await both.close();
    }
  });

  test('a script URL replaced by a host option does not take app.json\'s hash (it pins another file); its own hash does apply', async () => {
    const t = await startTestHost({
      sim,
      settings: { dingtalk: { scriptBase: MIRROR, scriptIntegrity: PINS } },
      host: { scripts: { ddLogin: `${sim.url}/standins/ddlogin.js` }, scriptIntegrity: undefined },
    });
    try {
      expect(await http(t.url, 'GET', '/login').then((p) => p.text)).toContain(`src="${sim.url}/standins/ddlogin.js"></script>`);
      expect((await dingtalkTags(t.url, `/login/workbench?corpId=${corpA.corpId}`))[0].rest).toBe(` integrity="${PINS.dingtalkJsapi}" crossorigin="anonymous"`);
    } finally {
      await t.close();
    }
    await expect(startTestHost({ sim, host: { scriptIntegrity: { ddLogin: 'sha1-abc' } } })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('The integrity hash of the ddLogin script must be an SRI hash'),
    });
  });
});

describe('bad values', () => {
  const truncated = PINS.ddLogin.slice(0, -4);
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['a truncated sha384', { ddLogin: truncated }, `dingtalk.scriptIntegrity.ddLogin must match`],
    ['another algorithm', { dingtalkJsapi: 'md5-' + Buffer.alloc(16).toString('base64') }, `dingtalk.scriptIntegrity.dingtalkJsapi must match`],
    ['a hex digest', { ddLogin: 'sha384-' + 'ab'.repeat(48) }, `dingtalk.scriptIntegrity.ddLogin must match`],
    ['a misspelt script', { ddlogin: PINS.ddLogin }, '"ddlogin" is not allowed in dingtalk.scriptIntegrity: did you mean "ddLogin"?'],
  ];

  test.each(cases)('%s: jit validate names the file, line, field and fix; the host does not start on it', async (_name, scriptIntegrity, field) => {
    const dir = copyFixture('hr-app');
    try {
      const appJson = path.join(dir, 'app.json');
      fs.writeFileSync(appJson, JSON.stringify({ ...JSON.parse(fs.readFileSync(appJson, 'utf8')), dingtalk: { scriptBase: MIRROR, scriptIntegrity } }, null, 2));
      const validate = await runCli('validate', '--app', dir);
      expect(validate.code).toBe(1);
      const line = validate.stdout.split('\n').find((l) => l.includes('APP_JSON_INVALID'))!;
      expect(line).toMatch(/app\.json:\d+:\d+ APP_JSON_INVALID /);
      expect(line).toContain(field);
      if (!('ddlogin' in scriptIntegrity)) expect(line).toContain('run `jit script-hashes` and paste what it prints, or remove the key');

      const app = await loadApp(dir, { logger: silentLogger, env: { DD_APP_SECRET: appA.appSecret, DD_APP_SECRET_B: appB.appSecret } });
      try {
        let refused: unknown;
        try {
          createHost(app);
        } catch (err) {
          refused = err;
        }
        expect(refused).toMatchObject({ code: 'CONFIG_INVALID' });
        const message = (refused as Error).message;
        expect(message).toContain(`${fs.realpathSync(appJson)}:`);
        expect(message).toContain(field);
        expect(message).toContain('`jit script-hashes --app <dir>` prints the hashes');
      } finally {
        await app.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SRI tokens', () => {
  test('the schema checks the same pattern as the code', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '../../schemas/dingtalk.settings.json'), 'utf8'));
    const properties = schema.properties.scriptIntegrity.properties;
    expect(Object.keys(properties)).toEqual(['ddLogin', 'dingtalkJsapi']);
    for (const name of Object.keys(properties)) expect(properties[name].pattern).toBe(SRI_TOKEN_PATTERN.source);
  });

  test('sriHash is what openssl prints, for each algorithm; isSriToken takes exactly a digest\'s length', () => {
    const bytes = 'window.DTFrameLogin = function () {};\n';
    for (const algorithm of ['sha256', 'sha384', 'sha512'] as const) {
      const digest = execFileSync('openssl', ['dgst', `-${algorithm}`, '-binary'], { input: bytes }).toString('base64');
      expect(sriHash(bytes, algorithm)).toBe(`${algorithm}-${digest}`);
      expect(isSriToken(sriHash(bytes, algorithm))).toBe(true);
      expect(isSriToken(sriHash(bytes, algorithm).slice(0, -2))).toBe(false);
      expect(isSriToken(`${sriHash(bytes, algorithm)}AA`)).toBe(false);
    }
    expect(isSriToken(`sha1-${Buffer.alloc(20).toString('base64')}`)).toBe(false);
    expect(isSriToken(`sha384-${Buffer.alloc(48).toString('base64')} sha384-${Buffer.alloc(48).toString('base64')}`)).toBe(false);
  });
});

describe('the simulator as a mirror of DingTalk\'s CDN', () => {
  test.each([
    ['ddLogin', '/standins/ddlogin.js'],
    ['dingtalkJsapi', '/standins/dingtalk.js'],
  ] as const)('serves the %s stand-in at the CDN path too, readable cross-origin, hashing to standinIntegrity()', async (name, standin) => {
    const atCdnPath = await http(sim.url, 'GET', DINGTALK_SCRIPT_PATHS[name]);
    expect(atCdnPath.status).toBe(200);
    expect(atCdnPath.headers.get('access-control-allow-origin')).toBe('*');
    expect(atCdnPath.headers.get('content-type')).toMatch(/^application\/javascript/);
    expect(atCdnPath.text).toBe((await http(sim.url, 'GET', standin)).text);
    expect(sriHash(atCdnPath.text)).toBe(standinIntegrity()[name]);
  });

  test('jit serve --sim pins the stand-ins\' hashes (every page under the simulator checks them)', async () => {
    // tests/http/helpers.ts starts the host as `jit serve --sim` does; tests/http/lifecycle.test.ts checks the real command.
    const t = await startTestHost({ sim });
    try {
      expect(await dingtalkTags(t.url, '/login')).toEqual([{ src: sim.url + DINGTALK_SCRIPT_PATHS.ddLogin, rest: ` integrity="${standinIntegrity().ddLogin}" crossorigin="anonymous"` }]);
    } finally {
      await t.close();
    }
  });
});
