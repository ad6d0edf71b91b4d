/**
 * The error-code registry: the runtime's codes only at start, an element's codes added from its
 * Type's module, a code declared twice by different owners refused with a diagnostic on the element
 * that declares it (the app still loads), sealed after the load, and every code a page shows or a
 * client puts in `details.reason` registered.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadApp } from '../../runtime/load-app';
import type { App } from '../../runtime/app';
import { silentLogger } from '../../runtime/logger';
import { ErrorCodeRegistry, RUNTIME_CODE_TABLES } from '../../runtime/error-registry';
import { CORE_ERRORS, defineCodeVocabulary, defineErrorCodes, isJitError, JitError } from '../../runtime/errors';
import { LOGIN_ERRORS } from '../../runtime/auth/login-error-codes';
import { ERROR_WORDS, ERROR_WORDS_ZH_CN, errorWordsFor, plainWords } from '../../runtime/http/pages/error-words';
import { DINGTALK_ERRORS, DINGTALK_PAGE_CODES } from '../../dingtalk/error-codes';
import { DINGTALK_FAILURE_REASONS } from '../../dingtalk/client/reasons';
import { CORPS_ERRORS } from '../../elements/corps/error-codes';
import { fixture } from '../loader/fixtures';

const REPO = path.join(__dirname, '..', '..');
const OWN_LOGIN_APP = fixture('own-login-app');

async function load(dir: string): Promise<App> {
  return loadApp(dir, { database: false, logger: silentLogger });
}

describe('a registry before any element', () => {
  it('holds the runtime\'s codes only: core, the login vocabulary, the pages\' NETWORK', () => {
    const codes = new ErrorCodeRegistry();
    expect(new Set(codes.all().map((c) => c.owner))).toEqual(new Set(['runtime', 'runtime/auth']));
    expect(codes.lookup('BAD_REQUEST')).toMatchObject({ owner: 'runtime', kind: 'error', status: 400, declaredBy: 'runtime' });
    expect(codes.lookup('STATE_INVALID')).toMatchObject({ owner: 'runtime/auth', kind: 'error', status: 400 });
    expect(codes.lookup('NETWORK')).toMatchObject({ owner: 'runtime', kind: 'page' });
    expect(codes.lookup('NOT_CORP_MEMBER')).toBeUndefined();
    expect(codes.lookup('SYNC_IN_PROGRESS')).toBeUndefined();
    expect(codes.all().length).toBe(RUNTIME_CODE_TABLES.reduce((n, t) => n + t.codes.length, 0));
  });

  it('takes an element\'s table; the same declaration twice is no duplicate', () => {
    const codes = new ErrorCodeRegistry();
    const table = defineErrorCodes('acme/sso', { SSO_TICKET_EXPIRED: { status: 401, summary: 'The SSO ticket expired' } });
    expect(codes.register([table], 'auths.loginTypes.SsoType')).toEqual([]);
    expect(codes.register([table], 'auths.loginTypes.OtherSsoType')).toEqual([]);
    // A copy of the same declaration (another copy of the package) is the same declaration.
    expect(codes.register([defineErrorCodes('acme/sso', { SSO_TICKET_EXPIRED: { status: 401, summary: 'The SSO ticket expired' } })], 'x.Y')).toEqual([]);
    expect(codes.lookup('SSO_TICKET_EXPIRED')).toMatchObject({ owner: 'acme/sso', status: 401, declaredBy: 'auths.loginTypes.SsoType' });
  });

  it('refuses a code another owner declares differently, all or nothing, naming both owners', () => {
    const codes = new ErrorCodeRegistry();
    const mine = defineErrorCodes('acme/sso', {
      SSO_DOWN: { status: 503, summary: 'The SSO server is down' },
      NOT_FOUND: { status: 404, summary: 'No such SSO user' },
    });
    const conflicts = codes.register([mine], 'auths.loginTypes.SsoType');
    expect(conflicts).toEqual([expect.objectContaining({ code: 'NOT_FOUND', taken: expect.objectContaining({ owner: 'runtime' }), offered: expect.objectContaining({ owner: 'acme/sso' }) })]);
    expect(codes.lookup('SSO_DOWN')).toBeUndefined();
    expect(codes.lookup('NOT_FOUND')?.owner).toBe('runtime');
  });

  it('keeps a reason apart from the error code of the same name', () => {
    const codes = new ErrorCodeRegistry();
    codes.register([DINGTALK_ERRORS], 'auths.loginTypes.DDInnerType');
    codes.register([defineCodeVocabulary('dingtalk', 'reason', { NOT_CORP_MEMBER: 'The person is not a member' })], 'auths.loginTypes.DDInnerType');
    expect(codes.lookup('NOT_CORP_MEMBER')).toMatchObject({ kind: 'error', status: 403 });
    expect(codes.lookup('NOT_CORP_MEMBER', 'reason')).toMatchObject({ kind: 'reason', owner: 'dingtalk' });
  });

  it('once sealed, refuses to register', () => {
    const codes = new ErrorCodeRegistry().seal();
    expect(codes.sealed).toBe(true);
    let thrown: unknown;
    try {
      codes.register([defineErrorCodes('late', { LATE_CODE: { status: 400, summary: 'late' } })], 'x.Late');
    } catch (err) {
      thrown = err;
    }
    expect(isJitError(thrown, 'INTERNAL_ERROR')).toBe(true);
    expect((thrown as Error).message).toMatch(/sealed: x\.Late cannot register codes after the app loaded/);
  });
});

describe('JitError and the tables', () => {
  it('a core code keeps working as before; an element\'s error carries its status and owner with no lookup', () => {
    const core = new JitError('BAD_REQUEST', 'no');
    expect([core.code, core.status, core.owner, core.message]).toEqual(['BAD_REQUEST', 400, 'runtime', 'no']);
    const own = DINGTALK_ERRORS.error('CORP_MISMATCH', undefined, { corpId: 'x' });
    expect([own.code, own.status, own.owner, own.message]).toEqual(['CORP_MISMATCH', 403, 'dingtalk', 'The DingTalk organisation selected is not this instance\'s']);
    expect(own.toJSON()).toEqual({ code: 'CORP_MISMATCH', message: own.message, details: { corpId: 'x' } });
    expect(LOGIN_ERRORS.error('USER_DISABLED').status).toBe(403);
    expect(CORPS_ERRORS.error('SYNC_IN_PROGRESS').status).toBe(409);
  });

  it('a JavaScript caller naming an element\'s code as a string (as before codes had owners) keeps its status', () => {
    const byName = new JitError('DINGTALK_RATE_LIMITED' as never, 'busy');
    expect([byName.code, byName.status, byName.owner]).toEqual(['DINGTALK_RATE_LIMITED', 503, 'dingtalk']);
    const unknown = new JitError('NO_ONE_DECLARES_THIS' as never);
    expect([unknown.code, unknown.status]).toEqual(['NO_ONE_DECLARES_THIS', 500]);
  });

  it('a table refuses a code that is not UPPER_SNAKE_CASE or an error without a status', () => {
    expect(() => defineErrorCodes('acme', { 'lower-case': { status: 400, summary: 's' } })).toThrow(/UPPER_SNAKE_CASE/);
    expect(() => defineErrorCodes('acme', { NO_STATUS: { status: 200, summary: 's' } })).toThrow(/HTTP status from 400 to 599/);
    expect(() => defineErrorCodes('acme', { NO_SUMMARY: { status: 400, summary: '' } })).toThrow(/needs a summary/);
  });

  it('runtime/errors.ts names no element family (the core stays core-only)', () => {
    const source = fs.readFileSync(path.join(REPO, 'runtime', 'errors.ts'), 'utf8');
    expect(source.match(/dingtalk/gi)).toBeNull();
    expect(CORE_ERRORS.codes.filter((code) => /DINGTALK|CORP|SYNC/.test(code))).toEqual([]);
    for (const file of ['error-registry.ts', 'auth/login-error-codes.ts', 'http/pages/error-words.ts']) {
      const code = fs.readFileSync(path.join(REPO, 'runtime', file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect([file, code.match(/dingtalk|钉钉/gi)]).toEqual([file, null]);
    }
  });
});

describe('an app\'s registry', () => {
  let app: App;
  beforeAll(async () => {
    app = await load(OWN_LOGIN_APP);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('is sealed at the end of the load and holds the codes of the app\'s own login Type', () => {
    expect(app.errorCodes.sealed).toBe(true);
    expect(app.errorCodes.lookup('TOTP_CODE_WRONG')).toMatchObject({
      owner: 'acme/totp', kind: 'error', status: 401, summary: 'The one-time code does not match', declaredBy: 'auths.loginTypes.TotpType',
    });
    expect(app.errorCodes.lookup('CLOCK_SKEW', 'reason')).toMatchObject({ owner: 'acme/totp', kind: 'reason' });
    expect(app.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('holds DingTalk\'s codes (both DingTalk Types export the same tables: no duplicate) and the corps family\'s', () => {
    expect(app.errorCodes.lookup('NOT_CORP_MEMBER')).toMatchObject({ owner: 'dingtalk', status: 403 });
    expect(app.errorCodes.lookup('DINGTALK_RATE_LIMITED')).toMatchObject({ owner: 'dingtalk', status: 503 });
    expect(app.errorCodes.lookup('SYNC_IN_PROGRESS')).toMatchObject({ owner: 'corps', status: 409, declaredBy: 'corps.DDInnerType' });
    expect(app.diagnostics.map((d) => d.code)).not.toContain('ERROR_CODE_DUPLICATE');
  });

  it('has every typed reason of the DingTalk client, and every page code', () => {
    expect(DINGTALK_FAILURE_REASONS.filter((reason) => !app.errorCodes.has(reason, 'reason'))).toEqual([]);
    for (const code of [...DINGTALK_PAGE_CODES.codes, 'NETWORK']) expect([code, app.errorCodes.lookup(code, 'page')?.kind]).toEqual([code, 'page']);
    expect(app.errorCodes.lookup('OTHER_CLIENT', 'reason')).toMatchObject({ owner: 'runtime/auth' });
  });

  it('every code a page shows in words is registered, in both languages', () => {
    for (const language of ['en', 'zh-CN'] as const) {
      const words = errorWordsFor(language, app.errorCodes);
      expect(Object.keys(words).filter((code) => !app.errorCodes.has(code))).toEqual([]);
      // The DingTalk and own-Type words come through the registry.
      expect(words.NOT_CORP_MEMBER).toBeDefined();
      expect(words.TOTP_CODE_WRONG).toBeDefined();
    }
    for (const code of [...Object.keys(ERROR_WORDS), ...Object.keys(ERROR_WORDS_ZH_CN)]) expect([code, app.errorCodes.has(code)]).toEqual([code, true]);
    expect(plainWords('DINGTALK_CANCELLED', '', 'Acme', 'en', app.errorCodes)).toBe('The DingTalk sign-in was cancelled. You can try again.');
    expect(plainWords('TOTP_CODE_WRONG', '', 'Acme', 'zh-CN', app.errorCodes)).toBe('验证码不正确，请查看Acme的验证器应用。');
  });

  it('every registered code that has words has them in Chinese too', () => {
    const missing = app.errorCodes.all().filter((c) => c.words && !c.words['zh-CN'] && c.owner !== 'acme/totp');
    expect(missing.map((c) => c.code)).toEqual([]);
  });

  it('makes the error of a code it knows by name, and says so when it knows none', () => {
    const known = app.errorCodes.error('SYNC_IN_PROGRESS', 'busy');
    expect([known.code, known.status, known.owner]).toEqual(['SYNC_IN_PROGRESS', 409, 'corps']);
    const unknown = app.errorCodes.error('NO_SUCH_CODE', 'what');
    expect([unknown.code, unknown.status]).toEqual(['INTERNAL_ERROR', 500]);
    expect(unknown.message).toMatch(/No error code NO_SUCH_CODE is registered/);
  });
});

describe('a code declared twice', () => {
  it('is a diagnostic on the element whose module declares it second; the element fails to load, the app does not', async () => {
    const dir = fixture('broken', 'error-code-duplicate');
    const app = await load(dir);
    try {
      const problem = app.diagnostics.find((d) => d.code === 'ERROR_CODE_DUPLICATE');
      expect(problem).toMatchObject({ file: path.join(dir, 'widgets', 'SecondType', 'e.json'), fullName: 'widgets.SecondType', line: 4, col: 25 });
      expect(problem!.message).toMatch(/acme\/gadgets/);
      expect(problem!.message).toMatch(/acme\/widgets/);
      expect(app.getDefinition('widgets.SecondType')?.valid).toBe(false);
      expect(app.getDefinition('widgets.FirstType')?.valid).toBe(true);
      expect(app.errorCodes.lookup('WIDGET_JAMMED')).toMatchObject({ owner: 'acme/widgets', status: 409 });
    } finally {
      await app.close();
    }
  });
});
