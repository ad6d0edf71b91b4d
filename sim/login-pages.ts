/**
 * The login host's pages (docs/dingtalk-facts.md §3a, §3b), so QR login works offline:
 * - `GET /login/qr-frame?client_id&redirect_uri&scope&state...`: the page the DTFrameLogin stand-in
 *   frames; choosing a person posts `{type:'jit-sim-login', authCode, state, redirectUrl}` to the
 *   embedding window (targetOrigin = redirect_uri's origin: like DingTalk, the embedding page must be
 *   same-origin with redirect_uri, else the scan does nothing);
 * - `GET /oauth2/auth?redirect_uri&response_type=code&client_id&scope&state&prompt`: the full-page
 *   flow; choosing redirects to `redirect_uri?authCode=X&code=X&state=S`, Cancel to
 *   `redirect_uri?error=access_denied&state=S`.
 * Both refuse, with an error page (the frame also tells the embedding window), a request missing what
 * DingTalk requires: redirect_uri, response_type=code, client_id, scope `openid` or `openid corpid`,
 * prompt=consent, and the frame with `openid corpid` also corpId and org_type (see checkParams).
 */
import type { ServerResponse } from 'node:http';
import { type ChooserPerson, renderChooserPage, renderErrorPage, renderMessagePage } from './chooser-page';
import type { AppEntry } from './directory';
import { type ParsedBody, redirect, sendHtml } from './http-io';
import type { Simulator } from './simulator';

const FRAME_PATH = '/login/qr-frame';
const FRAME_SCAN_PATH = '/login/qr-frame/scan';
const AUTH_PATH = '/oauth2/auth';
const AUTH_CONSENT_PATH = '/oauth2/auth/consent';

/** DingTalk's login page titles its refusals like this (a request it cannot serve / a login it cannot finish). */
const BAD_REQUEST = '钉钉登录 · 参数错误 (invalid login request)';
const LOGIN_FAILED = '钉钉登录 · 登录失败 (login failed)';

/** The login parameters carried from the first page to the choice. */
const LOGIN_PARAMS = ['redirect_uri', 'response_type', 'client_id', 'scope', 'prompt', 'state', 'org_type', 'corpId'] as const;

export function isLoginPage(pathname: string): boolean {
  return pathname === FRAME_PATH || pathname === FRAME_SCAN_PATH || pathname === AUTH_PATH || pathname === AUTH_CONSENT_PATH;
}

export function handleLoginPage(sim: Simulator, method: string, url: URL, body: ParsedBody, res: ServerResponse): void {
  const route = `${method} ${url.pathname}`;
  if (route === `GET ${FRAME_PATH}`) return showChooser(sim, readParams(url.searchParams), 'frame', res);
  if (route === `GET ${AUTH_PATH}`) return showChooser(sim, readParams(url.searchParams), 'redirect', res);
  if (route === `POST ${FRAME_SCAN_PATH}`) return completeFrameScan(sim, body.fields, res);
  if (route === `POST ${AUTH_CONSENT_PATH}`) return completeRedirect(sim, body.fields, res);
  sendHtml(res, 405, renderErrorPage('Method not allowed', `${method} is not supported on ${url.pathname}.`));
}

type LoginParams = Partial<Record<(typeof LOGIN_PARAMS)[number], string>>;

function readParams(source: URLSearchParams | Record<string, unknown>): LoginParams {
  const get = (name: string) => (source instanceof URLSearchParams ? source.get(name) : source[name]);
  const params: LoginParams = {};
  for (const name of LOGIN_PARAMS) {
    const value = get(name);
    if (typeof value === 'string' && value !== '') params[name] = value;
  }
  return params;
}

function showChooser(sim: Simulator, params: LoginParams, mode: 'frame' | 'redirect', res: ServerResponse): void {
  const problem = checkParams(sim, params, mode);
  if (problem) {
    if (mode === 'frame') return sendHtml(res, 400, renderMessagePage(BAD_REQUEST, problem, { type: 'jit-sim-login-error', errorMsg: problem }, frameTarget(params)));
    return sendHtml(res, 400, renderErrorPage(BAD_REQUEST, problem));
  }
  const entry = sim.directory.app(params.client_id!)!;
  const hidden = Object.fromEntries(Object.entries(params)) as Record<string, string>;
  sendHtml(
    res,
    200,
    renderChooserPage({
      appName: `App ${entry.app.appKey}`,
      corpName: entry.corp.name,
      action: mode === 'frame' ? FRAME_SCAN_PATH : AUTH_CONSENT_PATH,
      hidden,
      ...peopleFor(sim, entry),
      cancellable: mode === 'redirect',
    }),
  );
}

function completeFrameScan(sim: Simulator, fields: Record<string, unknown>, res: ServerResponse): void {
  const params = readParams(fields);
  const problem = checkParams(sim, params, 'frame');
  if (problem) return sendHtml(res, 400, renderMessagePage(BAD_REQUEST, problem, { type: 'jit-sim-login-error', errorMsg: problem }, frameTarget(params)));
  const scanned = scan(sim, params, fields.unionid);
  if (!scanned) return sendHtml(res, 400, renderErrorPage('Unknown person', 'Choose a person from the list.'));
  if ('refused' in scanned)
    return sendHtml(res, 403, renderMessagePage(LOGIN_FAILED, scanned.refused, { type: 'jit-sim-login-error', errorMsg: scanned.refused }, frameTarget(params)));
  const message = { type: 'jit-sim-login', authCode: scanned.code, state: params.state, redirectUrl: callbackUrl(params, { authCode: scanned.code, code: scanned.code }) };
  sendHtml(res, 200, renderMessagePage('Scanned', `Scanned as ${scanned.name}. Logging in…`, message, frameTarget(params)));
}

function completeRedirect(sim: Simulator, fields: Record<string, unknown>, res: ServerResponse): void {
  const params = readParams(fields);
  const problem = checkParams(sim, params, 'redirect');
  if (problem) return sendHtml(res, 400, renderErrorPage(BAD_REQUEST, problem));
  if (fields.cancel) return redirect(res, callbackUrl(params, { error: 'access_denied' }));
  const scanned = scan(sim, params, fields.unionid);
  if (!scanned) return sendHtml(res, 400, renderErrorPage('Unknown person', 'Choose a person from the list.'));
  if ('refused' in scanned) return sendHtml(res, 403, renderErrorPage(LOGIN_FAILED, scanned.refused));
  redirect(res, callbackUrl(params, { authCode: scanned.code, code: scanned.code }));
}

/** The two scopes DingTalk accepts, exactly (docs/dingtalk-facts.md §3a: "当前只支持两种输入"). */
const SCOPES = ['openid', 'openid corpid'];
const REQUIRED = ['redirect_uri', 'response_type', 'client_id', 'scope', 'prompt'] as const;

/**
 * What DingTalk's login page refuses before showing a QR code (docs/dingtalk-facts.md §3a, §3b);
 * undefined when all is well. Both pages need the same base parameters. Only the frame needs
 * `corpId` and `org_type` with scope `openid corpid`: the DTFrameLogin page says so ("必传，否则无法
 * 成功登录"), while the authorize page lists both as optional (facts §11.8).
 */
function checkParams(sim: Simulator, params: LoginParams, mode: 'frame' | 'redirect'): string | undefined {
  for (const name of REQUIRED) if (!params[name]) return `缺少参数 ${name}: ${name} is required.`;
  if (params.response_type !== 'code') return `response_type must be "code" (got "${params.response_type}").`;
  if (!SCOPES.includes(params.scope!)) return `scope must be "openid" or "openid corpid", space-separated (got "${params.scope}").`;
  if (params.prompt !== 'consent') return `prompt must be "consent" (got "${params.prompt}").`;
  if (params.scope === 'openid corpid' && mode === 'frame') {
    if (!params.corpId) return '缺少参数 corpId: corpId is required with scope "openid corpid".';
    if (!params.org_type) return '缺少参数 org_type: org_type is required with scope "openid corpid".';
  }
  if (!sim.directory.app(params.client_id!)) return `No app with client_id ${params.client_id} (unknown AppKey).`;
  if (!redirectTarget(params.redirect_uri)) return 'redirect_uri must be an http(s) URL.';
  return undefined;
}

/**
 * Mints the authCode for the chosen person; corpId only under scope `openid corpid`: the org the
 * person picks, the pre-selected one if they belong to it, else their first. `org_type=management`
 * offers only the orgs the person administers (§3a), so for anyone else the login cannot finish.
 */
function scan(sim: Simulator, params: LoginParams, unionid: unknown): { code: string; name: string } | { refused: string } | undefined {
  const person = typeof unionid === 'string' ? sim.directory.person(unionid) : undefined;
  if (!person) return undefined;
  let corpId: string | undefined;
  if (params.scope === 'openid corpid') {
    // An external contact's org is not one of the person's own to pick.
    const own = person.memberships.filter((m) => !sim.directory.member(m.corpId, m.userid)?.external);
    const eligible = params.org_type === 'management' ? own.filter((m) => sim.directory.member(m.corpId, m.userid)?.admin === true) : own;
    if (params.org_type === 'management' && eligible.length === 0)
      return { refused: `${person.name} administers no organisation, and org_type=management lists only the organisations a person administers.` };
    const corpIds = eligible.map((m) => m.corpId);
    corpId = corpIds.includes(params.corpId!) ? params.corpId : corpIds[0];
  }
  return { code: sim.mintQrCode(params.client_id!, person.unionid, corpId ? { corpId } : {}), name: person.name };
}

function peopleFor(sim: Simulator, entry: AppEntry): { members: ChooserPerson[]; others: ChooserPerson[] } {
  const corpId = entry.corp.corpId;
  // The note tells apart people who share a name (the demo org has two 王芳).
  const members = entry.corp.users.map((u) => ({
    unionid: u.unionid,
    name: u.name,
    note: [u.title, u.userid, u.external ? 'external contact' : undefined].filter(Boolean).join(' · '),
  }));
  const others = sim.directory
    .allPeople()
    .filter((p) => !p.memberships.some((m) => m.corpId === corpId))
    .map((p) => ({
      unionid: p.unionid,
      name: p.name,
      note: p.memberships.length ? p.memberships.map((m) => sim.directory.corp(m.corpId)?.name).join(', ') : 'no organisation',
    }));
  return { members, others };
}

/** redirect_uri arrives URL-encoded once more in DTFrameLogin's loginParams (the doc asks callers to
 *  encode it); accept both forms. */
function redirectTarget(value: string | undefined): URL | undefined {
  for (const candidate of [value, safeDecode(value)]) {
    if (!candidate) continue;
    try {
      const url = new URL(candidate);
      if (url.protocol === 'http:' || url.protocol === 'https:') return url;
    } catch {
      /* try the next form */
    }
  }
  return undefined;
}

function callbackUrl(params: LoginParams, add: Record<string, string>): string {
  const url = redirectTarget(params.redirect_uri)!;
  for (const [name, value] of Object.entries(add)) url.searchParams.set(name, value);
  if (params.state !== undefined) url.searchParams.set('state', params.state);
  return url.toString();
}

function frameTarget(params: LoginParams): string {
  return redirectTarget(params.redirect_uri)?.origin ?? '*';
}

function safeDecode(value: string | undefined): string | undefined {
  try {
    return value === undefined ? undefined : decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
