/**
 * Every refusal of a DingTalk login, each with its stable code, through the library against the
 * simulator over real HTTP, on SQLite and PostgreSQL: no instance for the corp, the other corp
 * picked, a non-member, used / expired / unknown codes, forged / reused / expired / foreign states.
 */
import { issueLoginState } from '../../elements/auths/loginTypes/DDInnerType/login-state';
import { CORP_A, CORP_B, simMember } from '../helpers/demo-org';
import { ACME_LOGIN, useLoginApp } from '../helpers/login-app';
import { qrLogin, errorCode, countRows } from '../helpers/login-steps';
import { useSimulator } from '../helpers/simulator';
import { describeEachDatabase } from '../helpers/each-database';

// Needs no throttle: tests login error codes, over 20 token exchanges a second, not DingTalk's limit.
const sim = useSimulator({ qps: 'off' });

const OUTSIDER_UNIONID = 'CsjOGK3rHLYjSl9oh5T4OXiE';
const unionidOf = (userid: string, corpId = CORP_A.corpId) => simMember(sim, corpId, userid).unionid;

describeEachDatabase('login errors', (db) => {
  const env = useLoginApp({ sim, app: 'create-user', database: db });

  describe('instances', () => {
    test('getAuthByCorpId finds the active instance of a corp, never the inactive one, else null', () => {
      expect(env.svc.getAuthByCorpId(CORP_A.corpId)?.fullName).toBe(ACME_LOGIN);
      expect(env.svc.getAuthByCorpId(CORP_B.corpId)?.fullName).toBe('auths.loginTypes.otherCorpLogin');
      expect(env.svc.getAuthByCorpId('ding00000000000000000000000000000000')).toBeNull();
    });

    test('getLoginConfig gives what the QR frame needs and never the secret', () => {
      const auth = env.auth();
      const config = auth.getLoginConfig();
      expect(config).toEqual({
        appKey: CORP_A.appKey, agentId: CORP_A.agentId, corpId: CORP_A.corpId, scope: 'openid corpid',
        loginUrl: sim.loginUrl, redirectUri: `/login/callback/${ACME_LOGIN}`, state: expect.stringMatching(/^[\w-]+\.[\w-]+$/),
      });
      expect(auth.getLoginConfig().state).not.toBe(config.state);
      expect(JSON.stringify(config)).not.toContain(CORP_A.appSecret);
      expect(JSON.stringify(auth.authConfig)).not.toContain(CORP_A.appSecret);
      expect(auth.authConfig.appSecret).toBe(CORP_A.appSecret);
      expect(Object.isFrozen(auth.authConfig)).toBe(true);
      expect(auth.authType).toBe('DDInnerType');
      expect(env.app.getElement(auth.authModelElemName)).toBe(env.model);
      expect(auth.getClient()).toBe(auth.getClient());
    });

    test('CORP_NOT_CONFIGURED: no instance for the corpId, or the instance is switched off', async () => {
      const code = sim.mintWorkbenchCode(CORP_A.corpId, 'zhangsan');
      expect(await errorCode(env.svc.loginByWorkbench('ding00000000000000000000000000000000', code, 'mobile'))).toBe('CORP_NOT_CONFIGURED');
      const retired = env.auth('auths.loginTypes.retiredLogin');
      expect(await errorCode(retired.getLoginCode({ code, loginType: 'workbench', platform: 'mobile' }))).toBe('CORP_NOT_CONFIGURED');
      // Neither refusal spent the code.
      expect(await env.svc.loginByWorkbench(CORP_A.corpId, code, 'mobile')).toMatchObject({ status: 'LOGGED_IN' });
    });

    test('getLoginCode with loginType workbench takes the workbench path of this instance', async () => {
      const code = sim.mintWorkbenchCode(CORP_A.corpId, 'lisi');
      expect(await env.auth().getLoginCode({ code, loginType: 'workbench', platform: 'mobile' })).toMatchObject({ status: 'LOGGED_IN', dingtalk: { userId: 'lisi' } });
    });

    test('the HTTP host\'s positional call form works as the object form does', async () => {
      const auth = env.auth();
      const code = sim.mintQrCode(CORP_A.appKey, unionidOf('lisi'), { corpId: CORP_A.corpId });
      expect(await auth.getLoginCode(code, 'qr', 'web', auth.getLoginConfig().state)).toMatchObject({ status: 'LOGGED_IN', dingtalk: { userId: 'lisi' } });
    });

    test('BAD_REQUEST for an unknown loginType or platform; AUTH_CODE_INVALID for a missing code', async () => {
      const auth = env.auth();
      expect(await errorCode(auth.getLoginCode({ code: 'x', loginType: 'sms' as never }))).toBe('BAD_REQUEST');
      expect(await errorCode(auth.getLoginCode({ code: 'x', loginType: 'qr', platform: 'tv' as never }))).toBe('BAD_REQUEST');
      expect(await errorCode(auth.getLoginCode(undefined as never))).toBe('BAD_REQUEST');
      expect(await errorCode(auth.getLoginCode({ code: '  ', loginType: 'workbench' }))).toBe('AUTH_CODE_INVALID');
      expect(await errorCode(env.svc.loginByWorkbench(CORP_A.corpId, undefined as never))).toBe('AUTH_CODE_INVALID');
    });
  });

  describe('organisation and membership', () => {
    test('CORP_MISMATCH: the other corp picked, or no corp returned under scope "openid corpid"', async () => {
      expect(await errorCode(qrLogin(env.auth(), sim, unionidOf('wangwu'), { corpId: CORP_B.corpId }))).toBe('CORP_MISMATCH');
      expect(await errorCode(qrLogin(env.auth(), sim, unionidOf('wangwu')))).toBe('CORP_MISMATCH');
      expect(await env.model.findByMember(CORP_A.corpId, 'wangwu')).toBeNull();
      // Under plain `openid` no corp need come back, but one that does must be this instance's.
      const otherCorp = env.auth('auths.loginTypes.otherCorpLogin');
      expect(await errorCode(qrLogin(otherCorp, sim, unionidOf('sunqi', CORP_B.corpId), { corpId: CORP_A.corpId }))).toBe('CORP_MISMATCH');
      expect(await qrLogin(otherCorp, sim, unionidOf('sunqi', CORP_B.corpId))).toMatchObject({ status: 'LOGGED_IN', dingtalk: { corpId: CORP_B.corpId } });
    });

    test('NOT_CORP_MEMBER: a DingTalk account outside the corp, and a member of the other corp', async () => {
      expect(await errorCode(qrLogin(env.auth(), sim, OUTSIDER_UNIONID, { corpId: CORP_A.corpId }))).toBe('NOT_CORP_MEMBER');
      expect(await errorCode(qrLogin(env.auth(), sim, unionidOf('carol.wu', CORP_B.corpId), { corpId: CORP_A.corpId }))).toBe('NOT_CORP_MEMBER');
      expect(await countRows(env.app, 'users', { column: 'displayName', value: '钱九' })).toBe(0);
    });
  });

  describe('authorization codes', () => {
    test('AUTH_CODE_INVALID: a replayed workbench code', async () => {
      const code = sim.mintWorkbenchCode(CORP_A.corpId, 'zhaoliu');
      expect(await env.svc.loginByWorkbench(CORP_A.corpId, code, 'mobile')).toMatchObject({ status: 'LOGGED_IN' });
      expect(await errorCode(env.svc.loginByWorkbench(CORP_A.corpId, code, 'mobile'))).toBe('AUTH_CODE_INVALID');
    });

    test('AUTH_CODE_INVALID: an expired workbench code (5 minutes) and an expired QR code', async () => {
      const workbench = sim.mintWorkbenchCode(CORP_A.corpId, 'zhaoliu');
      const auth = env.auth();
      const { state } = auth.getLoginConfig();
      const qr = sim.mintQrCode(CORP_A.appKey, unionidOf('zhaoliu'), { corpId: CORP_A.corpId });
      sim.advanceClock(6 * 60_000);
      expect(await errorCode(env.svc.loginByWorkbench(CORP_A.corpId, workbench, 'mobile'))).toBe('AUTH_CODE_INVALID');
      expect(await errorCode(auth.getLoginCode({ code: qr, loginType: 'qr', platform: 'web', state }))).toBe('AUTH_CODE_INVALID');
    });

    test('AUTH_CODE_INVALID: a replayed QR code (with a fresh state) and unknown codes', async () => {
      const auth = env.auth();
      const code = sim.mintQrCode(CORP_A.appKey, unionidOf('zhaoliu'), { corpId: CORP_A.corpId });
      expect(await auth.getLoginCode({ code, loginType: 'qr', platform: 'web', state: auth.getLoginConfig().state })).toMatchObject({ status: 'LOGGED_IN' });
      expect(await errorCode(auth.getLoginCode({ code, loginType: 'qr', platform: 'web', state: auth.getLoginConfig().state }))).toBe('AUTH_CODE_INVALID');
      expect(await errorCode(auth.getLoginCode({ code: 'made-up-code', loginType: 'qr', state: auth.getLoginConfig().state }))).toBe('AUTH_CODE_INVALID');
      expect(await errorCode(env.svc.loginByWorkbench(CORP_A.corpId, 'made-up-code'))).toBe('AUTH_CODE_INVALID');
    });
  });

  describe('QR login state', () => {
    const qrWithState = (state: unknown, userid = 'chenjing') => {
      const code = sim.mintQrCode(CORP_A.appKey, unionidOf(userid), { corpId: CORP_A.corpId });
      return { code, login: () => env.auth().getLoginCode({ code, loginType: 'qr', platform: 'web', state: state as string }) };
    };

    test('STATE_INVALID: missing or forged; the check runs before DingTalk is asked, so the code is not spent', async () => {
      const genuine = env.auth().getLoginConfig().state;
      const [body, signature] = genuine.split('.');
      const flipped = signature.slice(0, -2) + (signature.endsWith('AA') ? 'BB' : 'AA');
      const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
      const relabelled = Buffer.from(JSON.stringify({ ...payload, exp: payload.exp + 3_600_000 })).toString('base64url');
      sim.resetCounters();
      for (const forged of [undefined, '', 'garbage', `${body}.${flipped}`, `${relabelled}.${signature}`, `${body}.${signature}.x`, issueLoginState(ACME_LOGIN, 'x'.repeat(64))]) {
        const { login } = qrWithState(forged);
        expect(await errorCode(login())).toBe('STATE_INVALID');
      }
      expect(sim.counters()['oauth2/userAccessToken']).toBe(0);
      const { code } = qrWithState(genuine);
      expect(await env.auth().getLoginCode({ code, loginType: 'qr', platform: 'web', state: genuine })).toMatchObject({ status: 'LOGGED_IN' });
    });

    test('STATE_INVALID: a state used once is refused the second time', async () => {
      const state = env.auth().getLoginConfig().state;
      expect(await qrWithState(state).login()).toMatchObject({ status: 'LOGGED_IN' });
      expect(await errorCode(qrWithState(state).login())).toBe('STATE_INVALID');
    });

    test('STATE_INVALID: an expired state (issued more than 5 minutes ago)', async () => {
      const stale = issueLoginState(ACME_LOGIN, CORP_A.appSecret, Date.now() - 6 * 60_000);
      expect(await errorCode(qrWithState(stale).login())).toBe('STATE_INVALID');
      const fresh = issueLoginState(ACME_LOGIN, CORP_A.appSecret, Date.now() - 4 * 60_000);
      expect(await qrWithState(fresh).login()).toMatchObject({ status: 'LOGGED_IN' });
    });

    test('STATE_INVALID: a state another instance issued (another app\'s secret, or the same secret)', async () => {
      const otherCorp = env.auth('auths.loginTypes.otherCorpLogin').getLoginConfig().state;
      expect(await errorCode(qrWithState(otherCorp).login())).toBe('STATE_INVALID');
      // retiredLogin shares Acme's app (and so the signing key): the state names its instance.
      const sameSecret = issueLoginState('auths.loginTypes.retiredLogin', CORP_A.appSecret);
      expect(await errorCode(qrWithState(sameSecret).login())).toBe('STATE_INVALID');
    });
  });
});
