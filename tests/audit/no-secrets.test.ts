/**
 * No secret or one-time value in an audit row. Drives logins of every kind (QR and workbench,
 * successes and refusals, bindExisting with a password and with a phone code, password logins right
 * and wrong) with known app secrets, authorization codes, login states, bind tickets, verification
 * codes, passwords and session tokens, then a caller who puts such values into an event on purpose;
 * then reads every column of every audit row as text and looks for each value.
 */
import { withRequestContext } from '../../runtime/request-context';
import type { PasswordType } from '../../elements/auths/loginTypes/PasswordType/PasswordType';
import { CORP_A, CORP_B, simMember } from '../helpers/demo-org';
import { useLoginApp, type LoginApp } from '../helpers/login-app';
import { useSimulator } from '../helpers/simulator';
import { describeEachDatabase } from '../helpers/each-database';

const sim = useSimulator();

/** Every audit row, every column, as one text. */
async function auditTable(env: LoginApp): Promise<{ text: string; rows: Array<Record<string, unknown>> }> {
  const rows = (await env.app.db.dataSource.query('SELECT * FROM audit_events ORDER BY id')) as Array<Record<string, unknown>>;
  return { text: rows.map((row) => JSON.stringify(row)).join('\n'), rows };
}

describeEachDatabase('no secret in an audit row', (db) => {
  // Two apps, each on a database of its own of this kind.
  const createUser = useLoginApp(() => ({ sim, app: 'create-user', database: db.kind }));
  const bindExisting = useLoginApp(() => ({ sim, app: 'bind-existing', database: db.kind }));

  test('after a run of logins with known secrets, codes and tickets, no audit row holds one', async () => {
    const secrets = new Set<string>([CORP_A.appSecret, CORP_B.appSecret]);
    const attempt = async (run: () => Promise<unknown>, ...inputs: string[]) => {
      inputs.forEach((input) => secrets.add(input));
      try {
        const result = (await run()) as { token?: string; bindTicket?: string } | undefined;
        if (result?.token) secrets.add(result.token);
        if (result?.bindTicket) secrets.add(result.bindTicket);
        return result;
      } catch {
        return undefined;
      }
    };
    const unionid = (userid: string) => simMember(sim, CORP_A.corpId, userid).unionid;
    const acme = createUser.auth();
    const qr = (who: string, state = acme.getLoginConfig().state) => {
      const code = sim.mintQrCode(CORP_A.appKey, who, { corpId: CORP_A.corpId });
      return attempt(() => acme.getLoginCode({ code, loginType: 'qr', platform: 'web', state }), code, state);
    };
    const workbench = (env: LoginApp, userid: string) => {
      const code = sim.mintWorkbenchCode(CORP_A.corpId, userid);
      return attempt(() => env.svc.loginByWorkbench(CORP_A.corpId, code, 'mobile'), code);
    };

    // A user agent that carries the app secret (a registered secret) must be masked too.
    await withRequestContext({ clientAddress: '203.0.113.44', userAgent: `evil-agent ${CORP_A.appSecret}`, requestId: 'req-secrets' }, async () => {
      await workbench(createUser, 'zhangsan');
      await qr(unionid('lisi'));
      const replayed = sim.mintWorkbenchCode(CORP_A.corpId, 'wangwu');
      await attempt(() => createUser.svc.loginByWorkbench(CORP_A.corpId, replayed), replayed);
      await attempt(() => createUser.svc.loginByWorkbench(CORP_A.corpId, replayed), replayed);
      const used = acme.getLoginConfig().state;
      await qr(unionid('wangwu'), used);
      await qr(unionid('wangwu'), used);
      await qr(unionid('wangwu'), 'forged.state-value');

      // bindExisting, by password (a wrong guess first) and by a phone code (a wrong code first).
      await bindExisting.app.users.create({ username: 'zhang.local', password: 'pa55word-zhang', phone: '13700000001' });
      await bindExisting.app.users.create({ username: 'li.local', password: 'pa55word-li', phone: '13700000002' });
      secrets.add('pa55word-zhang').add('pa55word-li');
      const byPassword = (await workbench(bindExisting, 'zhangsan')) as { bindTicket: string; clientKey?: string };
      await attempt(() => bindExisting.svc.completeBinding(byPassword.bindTicket, { username: 'zhang.local', password: 'wrong-guess-1' }, { clientKey: byPassword.clientKey }), 'wrong-guess-1');
      await attempt(() => bindExisting.svc.completeBinding(byPassword.bindTicket, { username: 'zhang.local', password: 'pa55word-zhang' }, { clientKey: byPassword.clientKey }));
      const byPhone = (await workbench(bindExisting, 'lisi')) as { bindTicket: string; clientKey?: string };
      await attempt(() => bindExisting.svc.completeBinding(byPhone.bindTicket, { phone: '13700000002' }, { clientKey: byPhone.clientKey }));
      // The ticket is bound to the client it was issued to: a library caller passes back the clientKey.
      // The code goes out after the answer (equal timing whether or not the phone has an account).
      for (const deadline = Date.now() + 10_000; bindExisting.sentCodes.length === 0 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
      const [{ code }] = bindExisting.sentCodes;
      secrets.add(code);
      await attempt(() => bindExisting.svc.completeBinding(byPhone.bindTicket, { phone: '13700000002', verificationCode: code === '123456' ? '654321' : '123456' }, { clientKey: byPhone.clientKey }));
      await attempt(() => bindExisting.svc.completeBinding(byPhone.bindTicket, { phone: '13700000002', verificationCode: code }, { clientKey: byPhone.clientKey }));

      const passwords = bindExisting.app.getElement<PasswordType>('auths.loginTypes.PasswordType');
      await attempt(() => passwords.login('li.local', 'pa55word-li'));
      await attempt(() => passwords.login('li.local', 'wrong-guess-2'), 'wrong-guess-2');

      // A careless caller hands one-time values to the audit trail: the store keeps them out.
      await createUser.app.audit.record({
        type: 'admin.login.debugged',
        details: { authCode: 'careless-code-1', state: 'careless-state-1', bindTicket: 'careless-ticket-1', password: 'careless-pass-1', note: `secret ${CORP_B.appSecret}` },
      });
      secrets.add('careless-code-1').add('careless-state-1').add('careless-ticket-1').add('careless-pass-1');
    });

    const tables = [await auditTable(createUser), await auditTable(bindExisting)];
    // The run recorded what it claims to: successes and failures, with the caller's address.
    const all = tables.flatMap((table) => table.rows);
    const types = new Set(all.map((row) => `${row.type}:${row.outcome}`));
    for (const expected of [
      'login.succeeded:ok', 'login.failed:AUTH_CODE_INVALID', 'login.failed:STATE_INVALID', 'login.failed:CREDENTIALS_INVALID',
      'user.created:ok', 'binding.created:ok', 'admin.login.debugged:ok',
    ]) {
      expect(types).toContain(expected);
    }
    expect(all.every((row) => row.clientAddress === '203.0.113.44' && row.userAgent === 'evil-agent [redacted]')).toBe(true);
    expect(all.filter((row) => row.type === 'login.succeeded').length).toBeGreaterThanOrEqual(5);

    for (const secret of secrets) {
      // A 6-digit code is only a leak as a number of its own, not as digits inside a phone or a time.
      const leaked = /^\d+$/.test(secret) ? (text: string) => new RegExp(`(?<!\\d)${secret}(?!\\d)`).test(text) : (text: string) => text.includes(secret);
      for (const table of tables) {
        if (leaked(table.text)) throw new Error(`a secret (${secret.slice(0, 4)}…, ${secret.length} chars) appears in an audit row`);
      }
    }
  });
});
