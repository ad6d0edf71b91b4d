/**
 * No secret in any result, error or log line. Drives every login path (successes, each refusal,
 * bindExisting with both proofs, a DingTalk outage, a revoked app token) with every log line
 * captured at debug level, then greps all of it for the app secrets, the app access token, session
 * tokens, bind tickets and their client keys, verification codes, authorization codes, login states
 * and passwords.
 */
import type { PasswordType } from '../../elements/auths/loginTypes/PasswordType/PasswordType';
import type { BindRequiredResult } from '../../runtime';
import { CORP_A, CORP_B, simMember } from '../helpers/demo-org';
import { useLoginApp, type LoginApp } from '../helpers/login-app';
import { completeAsHolder, codesSent } from '../helpers/login-steps';
import { useSimulator } from '../helpers/simulator';
import { describeEachDatabase } from '../helpers/each-database';

const sim = useSimulator();

describeEachDatabase('secrets stay secret', (db) => {
  // Two apps, each on a database of its own of this kind.
  const createUser = useLoginApp(() => ({ sim, app: 'create-user', database: db.kind }));
  const bindExisting = useLoginApp(() => ({ sim, app: 'bind-existing', database: db.kind }));

  test('no result, error or log line carries a secret', async () => {
    /** Values that must appear nowhere but where they belong (a session token in its own result). */
    const secrets = new Set<string>([CORP_A.appSecret, CORP_B.appSecret]);
    /** Everything the library handed back or threw, as text. */
    const results: string[] = [];
    const errors: string[] = [];
    const record = async (run: () => Promise<unknown>, ...inputs: string[]) => {
      inputs.forEach((input) => secrets.add(input));
      try {
        const result = (await run()) as { token?: string; bindTicket?: string; clientKey?: string };
        // A token or ticket is the point of its own result; it must not show up anywhere else.
        results.push(JSON.stringify({ ...result, token: undefined, bindTicket: undefined, clientKey: undefined }));
        if (result?.token) secrets.add(result.token);
        if (result?.bindTicket) secrets.add(result.bindTicket);
        if (result?.clientKey) secrets.add(result.clientKey);
        return result;
      } catch (err) {
        const error = err as Error & { toJSON?: () => unknown };
        errors.push(JSON.stringify(error), JSON.stringify(error.toJSON?.() ?? {}), String(error), error.stack ?? '');
        return undefined;
      }
    };
    const unionid = (userid: string, corpId = CORP_A.corpId) => simMember(sim, corpId, userid).unionid;
    const acme = createUser.auth();
    const qr = (who: string, corpId?: string, state = acme.getLoginConfig().state) => {
      const code = sim.mintQrCode(CORP_A.appKey, who, corpId ? { corpId } : {});
      return record(() => acme.getLoginCode({ code, loginType: 'qr', platform: 'web', state }), code, state);
    };
    const workbench = (env: LoginApp, userid: string) => {
      const code = sim.mintWorkbenchCode(CORP_A.corpId, userid);
      return record(() => env.svc.loginByWorkbench(CORP_A.corpId, code, 'mobile'), code);
    };

    secrets.add(await acme.getClient().getAppAccessToken());

    // Successes and refusals of both flows.
    await workbench(createUser, 'zhangsan');
    await qr(unionid('zhangsan'), CORP_A.corpId);
    const replayed = sim.mintWorkbenchCode(CORP_A.corpId, 'lisi');
    await record(() => createUser.svc.loginByWorkbench(CORP_A.corpId, replayed), replayed);
    await record(() => createUser.svc.loginByWorkbench(CORP_A.corpId, replayed), replayed);
    await qr(unionid('lisi'), CORP_B.corpId);
    await qr('CsjOGK3rHLYjSl9oh5T4OXiE', CORP_A.corpId);
    await qr(unionid('wangwu'), CORP_A.corpId, 'forged.state');
    const used = acme.getLoginConfig().state;
    await qr(unionid('wangwu'), CORP_A.corpId, used);
    await qr(unionid('wangwu'), CORP_A.corpId, used);
    await record(() => createUser.svc.loginByWorkbench('ding00000000000000000000000000000000', 'some-code-1234'), 'some-code-1234');

    // DingTalk trouble: an outage, then a revoked app token (the client fetches a new one).
    sim.injectFault({ endpoints: ['topapi/v2/user/get'], kind: 'http500', count: 20 });
    await workbench(createUser, 'zhaoliu');
    sim.clearFaults();
    sim.revokeTokens();
    await workbench(createUser, 'zhaoliu');
    secrets.add(await acme.getClient().getAppAccessToken());

    // bindExisting with both proofs, wrong ones first.
    await bindExisting.app.users.create({ username: 'zhang.local', password: 'pa55word-zhang', phone: '13700000001' });
    await bindExisting.app.users.create({ username: 'li.local', password: 'pa55word-li', phone: '13700000002' });
    secrets.add('pa55word-zhang').add('pa55word-li');
    const complete = (required: BindRequiredResult, proof: unknown) => completeAsHolder(bindExisting, required, proof);
    const byPassword = (await workbench(bindExisting, 'zhangsan')) as BindRequiredResult;
    await record(() => complete(byPassword, { username: 'zhang.local', password: 'wrong-guess-1' }), 'wrong-guess-1');
    // Presented without the key it is bound to: refused.
    await record(() => bindExisting.svc.completeBinding(byPassword.bindTicket, { username: 'zhang.local', password: 'pa55word-zhang' }));
    await record(() => complete(byPassword, { username: 'zhang.local', password: 'pa55word-zhang' }));
    await record(() => complete(byPassword, { username: 'zhang.local', password: 'pa55word-zhang' }));
    const byPhone = (await workbench(bindExisting, 'lisi')) as BindRequiredResult;
    await record(() => complete(byPhone, { phone: '13700000002' }));
    const [{ code }] = await codesSent(bindExisting, 1);
    secrets.add(code);
    await record(() => complete(byPhone, { phone: '13700000002', verificationCode: code === '123456' ? '654321' : '123456' }));
    await record(() => complete(byPhone, { phone: '13700000002', verificationCode: code }));

    const passwords = bindExisting.app.getElement<PasswordType>('auths.loginTypes.PasswordType');
    await record(() => passwords.login('li.local', 'pa55word-li'));
    await record(() => passwords.login('li.local', 'wrong-guess-2'), 'wrong-guess-2');

    // The run exercised what it claims to: logins, each refusal, the outage.
    const codes = errors.join('\n');
    for (const expected of ['AUTH_CODE_INVALID', 'CORP_MISMATCH', 'NOT_CORP_MEMBER', 'STATE_INVALID', 'CORP_NOT_CONFIGURED', 'DINGTALK_UNAVAILABLE', 'CREDENTIALS_INVALID', 'BIND_TICKET_INVALID']) {
      expect(codes).toContain(expected);
    }
    expect(results.filter((text) => text.includes('"LOGGED_IN"')).length).toBeGreaterThanOrEqual(6);
    const logs = [...createUser.rawLogs, ...bindExisting.rawLogs];
    expect(logs.filter((line) => line.includes('"dingtalk login"')).length).toBeGreaterThanOrEqual(6);
    expect(logs.some((line) => line.includes('"dingtalk login failed"'))).toBe(true);

    const everything = { logs: logs.join('\n'), results: results.join('\n'), errors: codes };
    for (const secret of secrets) {
      // A 6-digit code is only a leak as a number of its own, not as digits inside a phone or a time.
      const leaked = /^\d+$/.test(secret) ? (text: string) => new RegExp(`(?<!\\d)${secret}(?!\\d)`).test(text) : (text: string) => text.includes(secret);
      for (const [where, text] of Object.entries(everything)) {
        if (leaked(text)) throw new Error(`a secret (${secret.slice(0, 4)}…, ${secret.length} chars) appears in ${where}`);
      }
    }
  });
});
