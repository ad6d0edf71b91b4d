/**
 * DingTalk's browser scripts and the other third-party content DingTalk's login pages need (moved
 * here from runtime/http/host.ts and security-headers.ts: the runtime names no family). The login
 * Type contributes them to the host (HostContribution.pageNeeds), which builds the page CSP from
 * them.
 *
 * The scripts are taken by path under `dingtalk.scriptBase` (app.json; default DingTalk's CDN,
 * https://g.alicdn.com; a company mirroring the CDN points it at its mirror): the QR frame, and the
 * JSAPI (requestAuthCode) at the version DingTalk's current pages load (3.1.0; docs/dingtalk.md says
 * which DingTalk client versions it needs). The CSP allows exactly these two URLs, not the whole CDN,
 * which hosts many libraries a script injection could use to get around a CSP.
 */

/** DingTalk's two browser scripts, by the names `createHost({ scripts })` replaces them under. */
// A type, not an interface: it must fit `createHost({ scripts })`, a record of names.
export type PageScripts = {
  /** DingTalk's QR frame script (window.DTFrameLogin). */
  ddLogin: string;
  /** The DingTalk JSAPI (window.dd.requestAuthCode) for the workbench page. */
  dingtalkJsapi: string;
};

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

/**
 * Where DingTalk serves member avatars (`avatar` of user/get, `avatarUrl` of contact/users/me):
 * `https://static-legacy.dingtalk.com/media/...`; the bind form shows the member's.
 */
export const DINGTALK_AVATAR_ORIGINS: readonly string[] = Object.freeze(['https://static-legacy.dingtalk.com']);
