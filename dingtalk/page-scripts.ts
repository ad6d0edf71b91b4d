/**
 * DingTalk's browser scripts and the other third-party content DingTalk's login pages need (moved
 * here from runtime/http: the runtime names no family). The login Type contributes them to the host
 * (HostContribution.pageNeeds, see dingtalkPageNeeds), which builds the page CSP and the script tags
 * from them.
 *
 * The scripts are taken by path under `dingtalk.scriptBase` (app.json; default DingTalk's CDN,
 * https://g.alicdn.com; a company mirroring the CDN points it at its mirror): the QR frame, and the
 * JSAPI (requestAuthCode) at the version DingTalk's current pages load (3.1.0; docs/dingtalk.md says
 * which DingTalk client versions it needs). The CSP allows exactly these two URLs, not the whole CDN,
 * which hosts many libraries a script injection could use to get around a CSP. When app.json pins
 * `dingtalk.scriptIntegrity.<script>` (issue #20 item 6), the page's tag carries `integrity` and
 * `crossorigin="anonymous"`, and the browser runs the script only if its bytes hash to the pinned
 * value (`jit script-hashes` computes them from the script base).
 *
 * No hashes of DingTalk's own CDN files ship: they must be taken from the bytes the CDN serves, and
 * a hash not taken from them would block the real script in every browser (docs/SECURITY.md).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JitError, type AppHandle, type PageNeeds } from '../runtime';
import { dingTalkHostsOf } from './hosts';
import { dingTalkSettingsOf } from './settings';

/** DingTalk's two browser scripts, by the names `createHost({ scripts })` replaces them under. */
// A type, not an interface: it must fit `createHost({ scripts })`, a record of names.
export type PageScripts = {
  /** DingTalk's QR frame script (window.DTFrameLogin). */
  ddLogin: string;
  /** The DingTalk JSAPI (window.dd.requestAuthCode) for the workbench page. */
  dingtalkJsapi: string;
};

export type DingTalkScript = keyof PageScripts;

/** The scripts, in the order `jit script-hashes` reports them. */
export const DINGTALK_SCRIPT_NAMES: readonly DingTalkScript[] = Object.freeze(['ddLogin', 'dingtalkJsapi'] as const);

/**
 * Their paths under the script base. Versioned paths: the bytes behind each never change, so a
 * pinned hash stays right.
 */
export const DINGTALK_SCRIPT_PATHS: PageScripts = Object.freeze({
  ddLogin: '/dingding/h5-dingtalk-login/0.21.0/ddlogin.js',
  dingtalkJsapi: '/dingding/dingtalk-jsapi/3.1.0/dingtalk.open.js',
});

/** The scripts' full URLs under a script base (no trailing slash needed). */
export function dingtalkScripts(scriptBase: string): PageScripts {
  const base = scriptBase.replace(/\/+$/, '');
  return { ddLogin: base + DINGTALK_SCRIPT_PATHS.ddLogin, dingtalkJsapi: base + DINGTALK_SCRIPT_PATHS.dingtalkJsapi };
}

/** DingTalk's production scripts on its own CDN (the default script base). */
export const DINGTALK_SCRIPTS: PageScripts = Object.freeze(dingtalkScripts('https://g.alicdn.com'));

/** The integrity hash pinned per script; a script without one loads unchecked. */
export type ScriptIntegrity = Partial<Record<DingTalkScript, string>>;

/**
 * Where DingTalk serves member avatars (`avatar` of user/get, `avatarUrl` of contact/users/me):
 * `https://static-legacy.dingtalk.com/media/...`; the bind form shows the member's.
 */
export const DINGTALK_AVATAR_ORIGINS: readonly string[] = Object.freeze(['https://static-legacy.dingtalk.com']);

/**
 * What the DingTalk login's panel needs on the pages: the two scripts under app.json's script base
 * with their pinned hashes (the host checks each is an SRI token, and drops a script's hash when
 * `createHost({ scripts })` replaces its URL), the QR frame's origin (the DingTalk login host the app
 * uses) and the avatar CDN. Throws CONFIG_INVALID when app.json's `dingtalk` settings are not usable
 * (the settings reader would fall back to the defaults: the CDN instead of a mirror, and no integrity
 * check where one was asked for), so the host does not start.
 */
export function dingtalkPageNeeds(app: AppHandle): PageNeeds {
  refuseUnusableDingTalkSettings(app);
  const settings = dingTalkSettingsOf(app);
  const urls = dingtalkScripts(settings.scriptBase);
  const integrity: Record<string, string> = {};
  for (const name of DINGTALK_SCRIPT_NAMES) {
    const hash = settings.scriptIntegrity[name];
    if (hash !== undefined) integrity[name] = hash;
  }
  return {
    scripts: { ddLogin: urls.ddLogin, dingtalkJsapi: urls.dingtalkJsapi },
    integrity,
    loginScripts: ['ddLogin'],
    frames: [dingTalkHostsOf(app).loginUrl],
    images: DINGTALK_AVATAR_ORIGINS,
  };
}

function refuseUnusableDingTalkSettings(app: AppHandle): void {
  const ownAppJson = realPath(path.join(app.dir, 'app.json'));
  const problems = app.diagnostics.filter(
    (d) => d.code === 'APP_JSON_INVALID' && (d.pointer === '/dingtalk' || d.pointer.startsWith('/dingtalk/')) && realPath(d.file) === ownAppJson,
  );
  if (!problems.length) return;
  const lines = problems.map((d) => `${d.file}:${d.line}:${d.col} ${d.message}`);
  throw new JitError(
    'CONFIG_INVALID',
    `app.json's "dingtalk" settings cannot be used, so the host does not start (it would load DingTalk's scripts from the default CDN without the integrity check asked for): ${lines.join('; ')}. Fix the value (\`jit script-hashes --app <dir>\` prints the hashes), or remove the key.`,
    { diagnostics: problems.map((d) => ({ file: d.file, line: d.line, col: d.col, pointer: d.pointer, message: d.message })) },
  );
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}
