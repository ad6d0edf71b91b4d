/**
 * The hostile-input table: for every route a client can reach without a session (the element
 * functions, /api/me, /api/logout, the login pages), requests built from a baseline by breaking one
 * thing at a time: a hostile string or a wrong JSON type in each field, a field missing or extra,
 * a body that is not JSON, too large, too deep, of another content type, odd unicode, a hostile
 * path, query, cookie or Authorization header. Deterministic: the same table on every run.
 */
import type { SimCorp } from '../../sim/types';
import { AUTH_SERVICE, functionPath, PASSWORD_LOGIN } from '../helpers/login-app';

export interface FuzzCase {
  /** Unique, readable: route + what is broken. */
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** What must come back: a 4xx with an error code; or (a few valid-looking requests to routes that
   *  accept anything, such as getLoginConfig or logout) any answer below 500; or, for bytes that are
   *  not HTTP at all, a 4xx or a closed connection. Never a 5xx. */
  expect: 'clientError' | 'noServerError' | 'clientErrorOrClosed';
  /** An exact status when it matters (413 for the 1 MB body). */
  status?: number;
  /** Hold the body until the server had a chance to refuse the declared length (see rawRequest). */
  holdBodyMs?: number;
  /** Strings that must not come back unescaped in an HTML answer (reflected markup). */
  mustNotReflect?: string[];
}

/** Injection-looking and odd strings, each to be placed in every string field. */
export const HOSTILE_STRINGS: ReadonlyArray<[label: string, value: string]> = [
  ['sql-or', "' OR 1=1 --"],
  ['sql-drop', "'; DROP TABLE users; --"],
  ['sql-dquote', '" OR ""="'],
  ['script-tag', '<script>alert(1)</script>'],
  ['attr-break', '"><img src=x onerror=alert(1)>'],
  ['path-traversal', '../../../../etc/passwd'],
  ['path-traversal-win', '..\\..\\..\\windows\\win.ini'],
  ['template-secret', '{{DD_SECRET_1}}'],
  ['template-demo', '{{DD_APP_SECRET}}'],
  ['js-template', '${process.env.DD_SECRET_1}'],
  ['nosql-operator', '{"$ne": null}'],
  ['proto-word', '__proto__'],
  ['constructor-word', 'constructor'],
  ['crlf', 'x\r\nSet-Cookie: jit_session=evil'],
  ['nul', 'a\u0000b'],
  ['lone-high-surrogate', 'a\ud800b'],
  ['lone-low-surrogate', '\udfffz'],
  ['rtl-override', '\u202egnp.exe'],
  ['zero-width', 'ding\u200b\u200c\u200d\ufeff'],
  ['combining', 'Z\u0351\u0352\u0353\u0354\u0355\u0356'],
  ['astral', '\u{1d54f}\u{1f600}'.repeat(50)],
  ['percent', '%00%2e%2e%2f'],
  ['like-wildcards', '%_%'],
  ['backslash', '\\'],
  ['empty', ''],
  ['spaces', '   '],
  ['long', 'A'.repeat(20_000)],
];

/** Values of the wrong JSON type for a string field. */
export const WRONG_TYPES: ReadonlyArray<[label: string, value: unknown]> = [
  ['number', 42],
  ['negative', -1],
  ['huge-number', 1e308],
  ['float', 0.5],
  ['true', true],
  ['false', false],
  ['array', ['x']],
  ['empty-array', []],
  ['object', { a: 1 }],
  ['operator-object', { $gt: '' }],
  ['null', null],
];

interface FunctionRoute {
  label: string;
  path: string;
  /** A well-formed body (with values that do not log anyone in). */
  baseline: Record<string, unknown>;
  /** The function takes no arguments and writes nothing: any JSON object is a valid call. */
  acceptsAnyObject?: boolean;
}

export function functionRoutes(corp: SimCorp, instance: string): FunctionRoute[] {
  return [
    { label: 'getLoginConfig', path: functionPath(instance, 'getLoginConfig'), baseline: {}, acceptsAnyObject: true },
    { label: 'getLoginCode(qr)', path: functionPath(instance, 'getLoginCode'), baseline: { code: 'abc123', loginType: 'qr', platform: 'web', state: 'not-a-state' } },
    // The workbench variant sends the code to DingTalk (no state to stop it first).
    { label: 'getLoginCode(workbench)', path: functionPath(instance, 'getLoginCode'), baseline: { code: 'abc123', loginType: 'workbench', platform: 'mobile' } },
    { label: 'loginByWorkbench', path: functionPath(AUTH_SERVICE, 'loginByWorkbench'), baseline: { corpId: corp.corpId, authCode: 'abc123', platform: 'mobile' } },
    { label: 'completeBinding', path: functionPath(AUTH_SERVICE, 'completeBinding'), baseline: { bindTicket: 'not-a-ticket', proof: { username: 'nobody', password: 'wrong-password' } } },
    { label: 'completeBinding(phone)', path: functionPath(AUTH_SERVICE, 'completeBinding'), baseline: { bindTicket: 'not-a-ticket', proof: { phone: '13800000000', verificationCode: '123456' } } },
    { label: 'password login', path: functionPath(PASSWORD_LOGIN, 'login'), baseline: { username: 'nobody', password: 'wrong-password' } },
  ];
}

const JSON_HEADERS = { 'content-type': 'application/json' };

export function buildFuzzCases(corp: SimCorp, instance: string): FuzzCase[] {
  const cases: FuzzCase[] = [];
  for (const route of functionRoutes(corp, instance)) cases.push(...functionCases(route));
  cases.push(...pathCases(instance), ...sessionCases(), ...pageCases(instance));
  const names = new Set<string>();
  for (const c of cases) {
    if (names.has(c.name)) throw new Error(`duplicate fuzz case name ${c.name}`);
    names.add(c.name);
  }
  return cases;
}

function functionCases(route: FunctionRoute): FuzzCase[] {
  const cases: FuzzCase[] = [];
  const post = (what: string, body: string | Buffer, extra: Partial<FuzzCase> = {}): FuzzCase => ({
    name: `${route.label}: ${what}`,
    method: 'POST',
    path: route.path,
    headers: JSON_HEADERS,
    body,
    expect: 'clientError',
    ...extra,
  });
  const anyObjectOk = route.acceptsAnyObject ? { expect: 'noServerError' as const } : {};

  // One field at a time, including fields nested in an object argument (proof).
  for (const [field, fieldPath] of fieldsOf(route.baseline)) {
    for (const [label, value] of HOSTILE_STRINGS) cases.push(post(`${field}=${label}`, JSON.stringify(setAt(route.baseline, fieldPath, value))));
    for (const [label, value] of WRONG_TYPES) cases.push(post(`${field} as ${label}`, JSON.stringify(setAt(route.baseline, fieldPath, value))));
    cases.push(post(`${field} missing`, JSON.stringify(setAt(route.baseline, fieldPath, undefined))));
  }
  cases.push(post('extra fields', JSON.stringify({ ...route.baseline, isAdmin: true, userId: 'u1', role: 'admin', token: 'x' }), anyObjectOk));
  cases.push(post('extra field deeply nested', JSON.stringify({ ...route.baseline, extra: nestedObject(2000) }), anyObjectOk));
  cases.push(post('__proto__ key', `{"__proto__": {"isAdmin": true}, ${JSON.stringify(route.baseline).slice(1)}`));
  cases.push(post('constructor.prototype key', `{"constructor": {"prototype": {"isAdmin": true}}, ${JSON.stringify(route.baseline).slice(1)}`));
  cases.push(post('duplicate keys', `${JSON.stringify(route.baseline).slice(0, -1)}${Object.keys(route.baseline).length ? ',' : ''}"platform": 7, "platform": "web"}`, anyObjectOk));

  // Bodies that are not a JSON object.
  cases.push(post('body not JSON', 'this is not json'));
  cases.push(post('body truncated JSON', '{"code": "abc'));
  cases.push(post('body JSON array', '[1, 2, 3]'));
  cases.push(post('body JSON string', '"abc"'));
  cases.push(post('body JSON number', '42'));
  cases.push(post('body JSON true', 'true'));
  cases.push(post('body JSON null', 'null', anyObjectOk));
  cases.push(post('body empty', '', anyObjectOk));
  // Decoded with replacement characters into a valid object: a value no function accepts as a code.
  cases.push(post('body invalid UTF-8', Buffer.from([0x7b, 0x22, 0x63, 0x6f, 0x64, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0xaf, 0x22, 0x7d]), anyObjectOk));
  cases.push(post('body with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(route.baseline))]), anyObjectOk));
  cases.push(post('body NUL bytes', Buffer.from('{"code":"\u0000\u0000"}\u0000\u0000', 'utf8')));
  cases.push(post('body deep array nesting', '['.repeat(30_000) + ']'.repeat(30_000)));
  cases.push(post('body deep object nesting', '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000), anyObjectOk));
  cases.push(post('body 1 MB', JSON.stringify({ ...route.baseline, padding: 'x'.repeat(1024 * 1024) }), { status: 413, holdBodyMs: 3000 }));
  // The bytes past the declared length are a second "request" that is not HTTP: Node's parser
  // refuses it and closes the connection, possibly before the first answer is written.
  cases.push(post('body 1 MB, lying Content-Length', 'x'.repeat(1024 * 1024), { headers: { ...JSON_HEADERS, 'content-length': '10' }, expect: 'clientErrorOrClosed' }));

  // Other content types.
  const form = Object.entries(route.baseline).map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join('&');
  cases.push(post('form-encoded body', form, { headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
  cases.push(post('text/plain body', JSON.stringify(route.baseline), { headers: { 'content-type': 'text/plain' } }));
  cases.push(post('multipart body', '--b\r\nContent-Disposition: form-data; name="code"\r\n\r\nx\r\n--b--\r\n', { headers: { 'content-type': 'multipart/form-data; boundary=b' } }));
  cases.push(post('xml body', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', { headers: { 'content-type': 'application/xml' } }));
  cases.push(post('JSON as UTF-16', Buffer.from(JSON.stringify(route.baseline), 'utf16le'), { headers: { 'content-type': 'application/json; charset=utf-16' } }));
  cases.push(post('no content type', JSON.stringify(route.baseline), { headers: {} }));

  // Other methods on a function address.
  for (const method of ['GET', 'PUT', 'DELETE', 'PATCH'] as const) cases.push({ name: `${route.label}: ${method}`, method, path: route.path, expect: 'clientError' });
  return cases;
}

function pathCases(instance: string): FuzzCase[] {
  const base = functionPath(instance, 'getLoginConfig');
  const prefix = base.slice(0, base.lastIndexOf('/'));
  const paths: Array<[string, string]> = [
    ['function on the Type, not an instance', functionPath('auths.loginTypes.DDInnerType', 'getLoginCode')],
    ['function not in functionList', `${prefix}/getClient`],
    ['method of Object.prototype', `${prefix}/toString`],
    ['__proto__ as function', `${prefix}/__proto__`],
    ['constructor as function', `${prefix}/constructor`],
    ['service method not in functionList', functionPath(AUTH_SERVICE, 'getAuthByCorpId')],
    ['unknown org and app', '/api/evil/app/auths/loginTypes/x/getLoginConfig'],
    ['dot-dot segments', '/api/acme/hr/../../etc/passwd'],
    ['encoded dot-dot', '/api/acme/hr/%2e%2e/%2e%2e/etc/passwd'],
    ['bad percent-encoding', '/api/acme/hr/%E0%A4%A/getLoginConfig'],
    ['NUL in path', '/api/acme/hr/auths%00/getLoginConfig'],
    ['very long path', `/api/acme/hr/${'a/'.repeat(3000)}getLoginConfig`],
    ['script in path', '/api/acme/hr/<script>alert(1)</script>/x'],
  ];
  return paths.map(([what, path]) => ({ name: `path: ${what}`, method: 'POST' as const, path, headers: JSON_HEADERS, body: '{}', expect: 'clientError' as const }));
}

function sessionCases(): FuzzCase[] {
  const cases: FuzzCase[] = [];
  const tokens: Array<[string, string]> = [
    ['sql', "' OR 1=1 --"],
    ['well-formed but unknown', 'A'.repeat(43)],
    ['too short', 'abc'],
    ['long', 'A'.repeat(4000)],
    ['unicode', '\u202e\u{1f600}'],
    ['template', '{{DD_SECRET_1}}'],
  ];
  for (const [label, token] of tokens) {
    const bearer = { authorization: `Bearer ${encodeHeader(token)}` };
    const cookie = { cookie: `jit_session=${encodeURIComponent(token)}` };
    cases.push({ name: `me: bearer ${label}`, method: 'GET', path: '/api/me', headers: bearer, expect: 'clientError' });
    cases.push({ name: `me: cookie ${label}`, method: 'GET', path: '/api/me', headers: cookie, expect: 'clientError' });
    // Logout answers success without a live session (it is idempotent); it must not fail or revoke.
    cases.push({ name: `logout: bearer ${label}`, method: 'POST', path: '/api/logout', headers: bearer, expect: 'noServerError' });
  }
  const odd: Array<[string, Record<string, string>]> = [
    ['no credentials', {}],
    ['basic auth', { authorization: 'Basic YWRtaW46YWRtaW4=' }],
    ['bearer without token', { authorization: 'Bearer' }],
    ['two bearer tokens', { authorization: 'Bearer aaaaaaaaaaaaaaaaaaaa bbbbbbbbbbbbbbbbbbbbbb' }],
    ['malformed cookie', { cookie: 'jit_session=%E0%A4%A; =; ;;; jit_session' }],
    ['many cookies', { cookie: Array.from({ length: 200 }, (_, i) => `c${i}=${i}`).join('; ') }],
    ['quoted cookie', { cookie: 'jit_session="\'OR 1=1"' }],
  ];
  for (const [label, headers] of odd) {
    cases.push({ name: `me: ${label}`, method: 'GET', path: '/api/me', headers, expect: 'clientError' });
    cases.push({ name: `logout: ${label}`, method: 'POST', path: '/api/logout', headers, expect: 'noServerError' });
  }
  cases.push({ name: 'logout: JSON body of wrong type', method: 'POST', path: '/api/logout', headers: JSON_HEADERS, body: '[1]', expect: 'noServerError' });
  cases.push({ name: 'logout: 1 MB body', method: 'POST', path: '/api/logout', headers: JSON_HEADERS, body: JSON.stringify({ p: 'x'.repeat(1024 * 1024) }), expect: 'clientError', status: 413, holdBodyMs: 3000 });
  cases.push({ name: 'me: POST', method: 'POST', path: '/api/me', headers: JSON_HEADERS, body: '{}', expect: 'clientError' });
  return cases;
}

function pageCases(instance: string): FuzzCase[] {
  const cases: FuzzCase[] = [];
  const page = (name: string, path: string): FuzzCase => ({ name, method: 'GET', path, headers: { accept: 'text/html' }, expect: 'clientError', mustNotReflect: ['<script>alert(1)</script>', '<img src=x onerror'] });
  for (const [label, value] of HOSTILE_STRINGS) {
    const v = percentEncode(value);
    cases.push(page(`callback: authCode=${label}`, `/login/callback/${instance}?authCode=${v}&state=${v}`));
    cases.push(page(`callback: code=${label}`, `/login/callback/${instance}?code=${v}`));
    cases.push(page(`callback: instance=${label}`, `/login/callback/${v}?authCode=abc&state=abc`));
    cases.push(page(`workbench: corpId=${label}`, `/login/workbench?corpId=${v}`));
  }
  cases.push(page('callback: no query', `/login/callback/${instance}`));
  cases.push(page('callback: repeated parameters', `/login/callback/${instance}?authCode=a&authCode=b&state=x&state=y`));
  cases.push(page('callback: bracket parameters', `/login/callback/${instance}?authCode[$ne]=x&state[]=y`));
  cases.push(page('callback: error from DingTalk with markup', `/login/callback/${instance}?error=${encodeURIComponent('<script>alert(1)</script>')}`));
  cases.push(page('callback: the Type, not an instance', '/login/callback/auths.loginTypes.DDInnerType?authCode=abc&state=abc'));
  cases.push(page('callback: the password login', `/login/callback/${PASSWORD_LOGIN}?authCode=abc&state=abc`));
  cases.push(page('workbench: no corpId', '/login/workbench'));
  cases.push(page('workbench: repeated corpId', '/login/workbench?corpId=a&corpId=b'));
  cases.push(page('workbench: bad percent-encoding', '/login/workbench?corpId=%E0%A4%A'));
  return cases;
}

/** [field label, path] for every string-valued field, one level into object arguments. */
function fieldsOf(baseline: Record<string, unknown>): Array<[string, string[]]> {
  const out: Array<[string, string[]]> = [];
  for (const [key, value] of Object.entries(baseline)) {
    out.push([key, [key]]);
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const inner of Object.keys(value)) out.push([`${key}.${inner}`, [key, inner]]);
    }
  }
  return out;
}

function setAt(baseline: Record<string, unknown>, fieldPath: string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(baseline);
  let target: Record<string, unknown> = copy;
  for (const key of fieldPath.slice(0, -1)) target = target[key] as Record<string, unknown>;
  const last = fieldPath[fieldPath.length - 1];
  if (value === undefined) delete target[last];
  else target[last] = value;
  return copy;
}

function nestedObject(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

/**
 * encodeURIComponent, except that a lone surrogate (which it refuses) is sent as its WTF-8 bytes
 * (%ED%A0%80 for U+D800): invalid UTF-8, exactly what a hostile client can put in an address.
 */
export function percentEncode(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    const isHigh = unit >= 0xd800 && unit <= 0xdbff;
    const pairsWithNext = isHigh && i + 1 < value.length && value.charCodeAt(i + 1) >= 0xdc00 && value.charCodeAt(i + 1) <= 0xdfff;
    if (pairsWithNext) {
      out += encodeURIComponent(value.slice(i, i + 2));
      i += 1;
    } else if (unit >= 0xd800 && unit <= 0xdfff) {
      out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(value[i]);
    }
  }
  return out;
}

/** Header values must be Latin-1; anything else is sent percent-encoded (what a client library would do). */
function encodeHeader(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : percentEncode(value);
}
