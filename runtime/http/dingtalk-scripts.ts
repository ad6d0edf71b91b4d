/**
 * DingTalk's two browser scripts: where a page loads them from and the integrity hashes they must
 * match (issue #20 item 6). The URLs are `dingtalk.scriptBase` (app.json; default DingTalk's CDN, a
 * company mirroring it points this at its mirror) plus the fixed paths below; the CSP names exactly
 * those two URLs. When app.json pins `dingtalk.scriptIntegrity.<script>`, the page's tag carries
 * `integrity` and `crossorigin="anonymous"`, and the browser runs the script only if its bytes hash
 * to the pinned value (`jit script-hashes` computes them from the script base).
 *
 * No hashes of DingTalk's own CDN files ship: they must be taken from the bytes the CDN serves, and
 * a hash not taken from them would block the real script in every browser (docs/SECURITY.md).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AppHandle } from '../app-types';
import { JitError } from '../errors';
import type { HostContext, PageScripts } from './host-context';
import type { PageScript } from './pages/html';
import { isSriToken } from './script-integrity';

export type DingTalkScript = keyof PageScripts;

/** The scripts, in the order `jit script-hashes` reports them. */
export const DINGTALK_SCRIPT_NAMES: readonly DingTalkScript[] = Object.freeze(['ddLogin', 'dingtalkJsapi'] as const);

/**
 * Their paths under the script base: the QR frame, and the JSAPI (requestAuthCode) at the version
 * DingTalk's current pages load (3.1.0; docs/dingtalk.md says which DingTalk client versions it
 * needs). Versioned paths: the bytes behind each never change, so a pinned hash stays right.
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

export interface DingTalkScriptsPlan {
  urls: PageScripts;
  integrity: ScriptIntegrity;
}

export interface DingTalkScriptOverrides {
  /** Other URLs (the simulator's stand-ins, tests). app.json's hash of a script replaced here is not used. */
  scripts?: Partial<PageScripts>;
  /** The hashes of the scripts given in `scripts` (the simulator computes its stand-ins'). */
  scriptIntegrity?: ScriptIntegrity;
}

/**
 * The scripts a host's pages load, and their hashes: app.json's `dingtalk` settings, with the
 * overrides on top. Throws CONFIG_INVALID when app.json's `dingtalk` settings are not usable (the
 * settings reader would fall back to the defaults: the CDN instead of a mirror, and no integrity
 * check where one was asked for), or an override hash is not an SRI token.
 */
export function planDingTalkScripts(app: AppHandle, overrides: DingTalkScriptOverrides = {}): DingTalkScriptsPlan {
  refuseUnusableDingTalkSettings(app);
  const settings = app.settings.dingtalk;
  const urls: PageScripts = { ...dingtalkScripts(settings.scriptBase), ...overrides.scripts };
  const integrity: ScriptIntegrity = {};
  for (const name of DINGTALK_SCRIPT_NAMES) {
    const hash = overrides.scriptIntegrity?.[name] ?? (overrides.scripts?.[name] === undefined ? settings.scriptIntegrity[name] : undefined);
    if (hash === undefined) continue;
    if (!isSriToken(hash)) {
      throw new JitError('CONFIG_INVALID', `The integrity hash of the ${name} script must be an SRI hash (sha256-, sha384- or sha512- and the base64 digest); got ${JSON.stringify(hash)}`);
    }
    integrity[name] = hash;
  }
  return { urls, integrity };
}

/** A DingTalk script as a page's tag: its URL, and its pinned hash when there is one. */
export function dingtalkPageScript(ctx: HostContext, name: DingTalkScript): PageScript {
  const integrity = ctx.scriptIntegrity[name];
  return integrity ? { src: ctx.scripts[name], integrity } : { src: ctx.scripts[name] };
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
