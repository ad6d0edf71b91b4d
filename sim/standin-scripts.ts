/**
 * Serves the front-end stand-ins for DingTalk's scripts, so login pages work offline:
 * `/standins/ddlogin.js` (window.DTFrameLogin) and `/standins/dingtalk.js` (window.dd).
 * The scripts live as plain JavaScript in sim/standins/ (copied to dist/ by the build).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ServerResponse } from 'node:http';
import { sendJson, sendText } from './http-io';

export const STANDIN_PREFIX = '/standins/';

/** The scripts are public static files holding nothing secret; readable cross-origin so a page may
 *  load them with `crossorigin` and an integrity hash. (The admin routes never send this.) */
const SCRIPT_HEADERS: Readonly<Record<string, string>> = { 'access-control-allow-origin': '*' };

const SCRIPTS = new Set(['ddlogin.js', 'dingtalk.js']);
const cache = new Map<string, string>();

export function handleStandin(method: string, pathname: string, res: ServerResponse): void {
  const name = pathname.slice(STANDIN_PREFIX.length);
  if ((method !== 'GET' && method !== 'HEAD') || !SCRIPTS.has(name))
    return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `no stand-in ${pathname}` } }, { ...SCRIPT_HEADERS });
  let source = cache.get(name);
  if (source === undefined) {
    source = fs.readFileSync(path.join(__dirname, 'standins', name), 'utf8');
    cache.set(name, source);
  }
  sendText(res, 200, 'application/javascript; charset=utf-8', source, { ...SCRIPT_HEADERS, 'cache-control': 'no-cache' });
}
