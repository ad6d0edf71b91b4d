/**
 * Serves the front-end stand-ins for DingTalk's scripts, so login pages work offline:
 * `/standins/ddlogin.js` (window.DTFrameLogin) and `/standins/dingtalk.js` (window.dd), and the same
 * files at the paths DingTalk's CDN serves the real ones at (dingtalk/page-scripts.ts), so
 * the simulator is a mirror of the CDN's layout: `dingtalk.scriptBase` = the simulator's URL loads
 * them exactly as a company mirror would be loaded, and `jit script-hashes` can hash them there.
 * The scripts live as plain JavaScript in sim/standins/ (copied to dist/ by the build).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ServerResponse } from 'node:http';
import { DINGTALK_SCRIPT_NAMES, DINGTALK_SCRIPT_PATHS, type DingTalkScript, type ScriptIntegrity } from '../dingtalk/page-scripts';
import { sriHash } from '../runtime/script-integrity';
import { sendJson, sendText } from './http-io';

export const STANDIN_PREFIX = '/standins/';

/** The scripts are public static files holding nothing secret; readable cross-origin so a page may
 *  load them with `crossorigin` and an integrity hash. (The admin routes never send this.) */
const SCRIPT_HEADERS: Readonly<Record<string, string>> = { 'access-control-allow-origin': '*' };

/** The stand-in file of each DingTalk script. */
const STANDIN_FILES: Readonly<Record<DingTalkScript, string>> = { ddLogin: 'ddlogin.js', dingtalkJsapi: 'dingtalk.js' };

/** Path -> file: /standins/<file>, and the CDN's path of the script it stands in for. */
const FILE_BY_PATH = new Map<string, string>(
  DINGTALK_SCRIPT_NAMES.flatMap((name) => [
    [STANDIN_PREFIX + STANDIN_FILES[name], STANDIN_FILES[name]],
    [DINGTALK_SCRIPT_PATHS[name], STANDIN_FILES[name]],
  ]),
);
const cache = new Map<string, string>();

/** Whether a path is one of DingTalk's script paths the simulator mirrors (the /standins/ ones are routed by prefix). */
export function isMirroredScriptPath(pathname: string): boolean {
  return !pathname.startsWith(STANDIN_PREFIX) && FILE_BY_PATH.has(pathname);
}

export function handleStandin(method: string, pathname: string, res: ServerResponse): void {
  const file = FILE_BY_PATH.get(pathname);
  if ((method !== 'GET' && method !== 'HEAD') || !file)
    return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `no stand-in ${pathname}` } }, { ...SCRIPT_HEADERS });
  sendText(res, 200, 'application/javascript; charset=utf-8', standinSource(file), { ...SCRIPT_HEADERS, 'cache-control': 'no-cache' });
}

/**
 * The SRI hash (sha384) of each stand-in, taken from the bytes the simulator serves: `jit serve
 * --sim` pins them, so every page under the simulator loads its scripts with the integrity check on.
 */
export function standinIntegrity(): Required<ScriptIntegrity> {
  return {
    ddLogin: sriHash(standinSource(STANDIN_FILES.ddLogin)),
    dingtalkJsapi: sriHash(standinSource(STANDIN_FILES.dingtalkJsapi)),
  };
}

function standinSource(file: string): string {
  let source = cache.get(file);
  if (source === undefined) {
    source = fs.readFileSync(path.join(__dirname, 'standins', file), 'utf8');
    cache.set(file, source);
  }
  return source;
}
