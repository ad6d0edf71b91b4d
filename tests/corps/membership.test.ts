/**
 * Membership per corp (#22): leaving one organisation ends that membership, marks its binding left and
 * revokes the sessions that came through it, whoever created the account; the local user is disabled
 * only when we provisioned it and no binding is left. Both defects of the issue are reproduced first
 * as the story the issue tells, then shown fixed:
 *   (a) a person in Acme and Globex (one local user bound twice) leaves Acme: they keep their account
 *       and their Globex session, and lose the session that came through Acme;
 *   (b) an account made with `jit users create`, auto-bound to a member who leaves: their DingTalk
 *       session ends, the account stays (or is disabled too under leavers.disableUnmanaged).
 * And: a one-corp leaver we provisioned is disabled and signed out; a rejoiner is the same user again;
 * offline is sticky until `jit org restore`.
 *
 * Real parts: the simulator over HTTP (members removed and added at run time), the fixture app through
 * the library, SQLite files and PostgreSQL.
 */
import * as path from 'node:path';
import type { SimOrgUser } from '../../sim/types';
import type { DDInnerCorpType } from '../../elements/corps/DDInnerType/DDInnerCorpType';
import type { DDInnerAuthModel } from '../../elements/auths/loginTypes/DDInnerType/DDInnerAuthModel/DDInnerAuthModel';
import type { OrgModel } from '../../elements/corps/models/OrgModel/OrgModel';
import { main } from '../../cli/main';
import type { DDInnerType } from '../../elements/auths/loginTypes/DDInnerType/DDInnerType';
import { CORP_A, CORP_B } from '../helpers/demo-org';
import { openLoginApp, type LoginApp, copyAppFolder, readJson, writeJson } from '../helpers/login-app';
import { qrLogin, workbenchLoginThrough, errorCode } from '../helpers/login-steps';
import { useSimulator } from '../helpers/simulator';
import { describeEachDatabase } from '../helpers/each-database';
import { ACME_CORP, ACME_LOGIN, GLOBEX_LOGIN, TWO_ORGS_APP } from './corps-fixture';

const MODEL = 'auths.loginTypes.DDInnerType.DDInnerAuthModel';

describeEachDatabase('membership per corp', (target) => {
  const sim = useSimulator();
  let env: LoginApp;
  const acme = () => env.app.getElement<DDInnerCorpType>(ACME_CORP);
  const bindings = () => env.app.getElement<DDInnerAuthModel>(MODEL);
  const orgModel = () => env.app.getElement<OrgModel>('corps.models.OrgModel');
  const acmeMember = (userid: string): SimOrgUser => structuredClone(sim.org.corps.find((c) => c.corpId === CORP_A.corpId)!.users.find((u) => u.userid === userid)!);

  beforeAll(async () => {
    env = await openLoginApp({ sim, app: TWO_ORGS_APP, database: { url: target.url } });
    // The first sync: every Acme member gets a membership (and, by createUser, a local user).
    const first = await acme().syncCorp();
    expect(first.members).toMatchObject({ listed: 9, failed: 0, left: 0 });
  });
  afterAll(async () => {
    await env?.close();
  });

  it('(a) a person in two organisations who leaves one keeps their account and the other session, and loses the session through the one left', async () => {
    // 张三 is in Acme (synced: user zhangsan, `sync:corps.acme`) and joins Globex with the same mobile:
    // the Globex login auto-binds him to the same local user.
    sim.addMember(CORP_B.corpId, { ...acmeMember('zhangsan'), userid: 'zhang.san.globex', dept_id_list: [1] });
    const viaAcme = await workbenchLoginThrough(env.app, ACME_LOGIN, sim, CORP_A.corpId, 'zhangsan');
    const viaGlobex = await workbenchLoginThrough(env.app, GLOBEX_LOGIN, sim, CORP_B.corpId, 'zhang.san.globex');
    expect(viaGlobex).toMatchObject({ binding: 'autoBound', userId: viaAcme.userId });
    const user = viaAcme.userId;
    expect(await bindings().findByUserId(user)).toHaveLength(2);

    sim.removeMember(CORP_A.corpId, 'zhangsan');
    const summary = await acme().syncCorp();
    expect(summary.members).toMatchObject({ left: 1, disabled: 0, leftKept: 1 });
    expect(summary.leftKept).toEqual([expect.objectContaining({ userid: 'zhangsan', userId: user, reason: 'boundElsewhere' })]);

    expect(await env.app.users.findById(user)).toMatchObject({ disabled: false });
    expect(await env.app.sessions.verify(viaAcme.token)).toBeNull(); // the session through Acme is gone
    expect(await env.app.sessions.verify(viaGlobex.token)).toMatchObject({ userId: user }); // the Globex one stays
    expect(await workbenchLoginThrough(env.app, GLOBEX_LOGIN, sim, CORP_B.corpId, 'zhang.san.globex')).toMatchObject({ userId: user, binding: 'existing' });
    // Acme refuses him (DingTalk does, and his Acme binding is marked left): he scans Acme's QR code.
    const unionid = sim.org.corps.find((c) => c.corpId === CORP_B.corpId)!.users.find((u) => u.userid === 'zhang.san.globex')!.unionid;
    expect(await errorCode(qrLogin(env.app.getElement<DDInnerType>(ACME_LOGIN), sim, unionid))).toBe('NOT_CORP_MEMBER');
    expect(await bindings().findByMember(CORP_A.corpId, 'zhangsan')).toMatchObject({ leftAt: expect.any(Date) });
    expect(await bindings().findByMember(CORP_B.corpId, 'zhang.san.globex')).toMatchObject({ leftAt: null });
    expect(await orgModel().findMember(ACME_CORP, 'zhangsan')).toMatchObject({ status: 'left', localUserId: user, disabledUserId: null });
  });

  it('a leaver we provisioned, bound nowhere else, is disabled and signed out everywhere', async () => {
    const login = await workbenchLoginThrough(env.app, ACME_LOGIN, sim, CORP_A.corpId, 'lisi');
    const passwordSession = await env.app.sessions.create(login.userId); // a session through no binding
    sim.removeMember(CORP_A.corpId, 'lisi');
    const summary = await acme().syncCorp();
    expect(summary.disabled).toEqual([expect.objectContaining({ userid: 'lisi', userId: login.userId })]);
    expect(await env.app.users.findById(login.userId)).toMatchObject({ disabled: true, source: `sync:${ACME_CORP}` });
    expect(await env.app.sessions.verify(login.token)).toBeNull();
    expect(await env.app.sessions.verify(passwordSession.token)).toBeNull();
    expect(await orgModel().findMember(ACME_CORP, 'lisi')).toMatchObject({ status: 'left', disabledUserId: login.userId });
    // The audit trail has each part of it (issue #14), written in the leaver's transaction.
    const types = (await env.app.audit.list({ user: login.userId })).events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['membership.ended', 'binding.left', 'user.disabled', 'session.revoked']));
  });

  it('a rejoiner is restored as the same user, binding and membership (no duplicate)', async () => {
    const before = await bindings().findByMember(CORP_A.corpId, 'lisi');
    const users = (await env.app.users.list()).length;
    sim.addMember(CORP_A.corpId, { userid: 'lisi', unionid: 'lisiUnionIdRejoined00xiE', name: '李四', mobile: '13800138002', dept_id_list: [2] });
    const summary = await acme().syncCorp();
    expect(summary.updated).toEqual([
      expect.objectContaining({ userid: 'lisi', changes: expect.arrayContaining(['binding.restored', 'user.enabled', 'member.returned', 'departments']) }),
    ]);
    expect(summary.members).toMatchObject({ added: 0, left: 0 });
    expect((await env.app.users.list()).length).toBe(users);
    expect(await bindings().findByMember(CORP_A.corpId, 'lisi')).toMatchObject({ id: before!.id, userId: before!.userId, leftAt: null });
    expect(await env.app.users.findById(before!.userId)).toMatchObject({ disabled: false });
    expect(await orgModel().findMember(ACME_CORP, 'lisi')).toMatchObject({ status: 'active', leftAt: null, disabledUserId: null });
    expect(await workbenchLoginThrough(env.app, ACME_LOGIN, sim, CORP_A.corpId, 'lisi')).toMatchObject({ userId: before!.userId, binding: 'existing' });
  });

  it('(b) an account made by jit users create, auto-bound to a member who leaves, loses its DingTalk sessions and is kept for an operator', async () => {
    // A new member whose mobile matches a local account created before (not by this app's logins or syncs).
    const local = await env.app.users.create({ username: 'chen.local', phone: '13911112222', source: 'cli' });
    sim.addMember(CORP_A.corpId, { userid: 'chen.new', unionid: 'chenNewUnionId0000000xiE', name: '陈新', mobile: '13911112222', dept_id_list: [3] });
    const login = await workbenchLoginThrough(env.app, ACME_LOGIN, sim, CORP_A.corpId, 'chen.new');
    expect(login).toMatchObject({ binding: 'autoBound', userId: local.id });
    const passwordSession = await env.app.sessions.create(local.id);
    await acme().syncCorp();

    sim.removeMember(CORP_A.corpId, 'chen.new');
    const summary = await acme().syncCorp();
    expect(summary.leftKept).toEqual([expect.objectContaining({ userid: 'chen.new', userId: local.id, username: 'chen.local', reason: 'unmanaged' })]);
    expect(await env.app.users.findById(local.id)).toMatchObject({ disabled: false });
    expect(await env.app.sessions.verify(login.token)).toBeNull(); // the DingTalk session ends
    expect(await env.app.sessions.verify(passwordSession.token)).toMatchObject({ userId: local.id }); // their own stays

    // Listed for an operator in jit org status.
    const status = await acme().getStatus();
    expect(status.unmanagedLeavers).toEqual([expect.objectContaining({ userid: 'chen.new', username: 'chen.local', disabled: false })]);
    // A second run does not look at them again.
    expect((await acme().syncCorp()).members).toMatchObject({ left: 0, disabled: 0, leftKept: 0 });
  });

  it('(b) under leavers.disableUnmanaged, such an account is disabled too', async () => {
    const copy = copyAppFolder(TWO_ORGS_APP);
    const config = path.join(copy.dir, 'corps', 'acme', 'acme.json');
    writeJson(config, { ...readJson(config), leavers: { disableUnmanaged: true } });
    const strict = await openLoginApp({ sim, app: copy.dir, database: { url: target.url } });
    try {
      const local = await strict.app.users.create({ username: 'wu.local', phone: '13922223333', source: 'cli' });
      sim.addMember(CORP_A.corpId, { userid: 'wu.new', unionid: 'wuNewUnionId000000000xiE', name: '吴新', mobile: '13922223333', dept_id_list: [3] });
      const login = await workbenchLoginThrough(strict.app, ACME_LOGIN, sim, CORP_A.corpId, 'wu.new');
      const corp = strict.app.getElement<DDInnerCorpType>(ACME_CORP);
      await corp.syncCorp();
      sim.removeMember(CORP_A.corpId, 'wu.new');
      const summary = await corp.syncCorp();
      expect(summary.disabled).toEqual([expect.objectContaining({ userid: 'wu.new', userId: local.id })]);
      expect(await strict.app.users.findById(local.id)).toMatchObject({ disabled: true });
      expect(await strict.app.sessions.verify(login.token)).toBeNull();
    } finally {
      await strict.close();
      copy.remove();
    }
  });

  it('offline is sticky: the sync lists it and does not undo it; jit org restore reverses it', async () => {
    const login = await workbenchLoginThrough(env.app, ACME_LOGIN, sim, CORP_A.corpId, 'zhaoliu');
    const [ended] = await acme().offlineMember(['zhaoliu']);
    expect(ended).toMatchObject({ userid: 'zhaoliu', action: 'disable', userId: login.userId });
    expect(await env.app.sessions.verify(login.token)).toBeNull();
    expect(await env.app.users.findById(login.userId)).toMatchObject({ disabled: true });

    // Still a DingTalk member, but offline here: the sync leaves it offline and says so; logins are refused.
    const summary = await acme().syncCorp();
    expect(summary.offline).toEqual([{ userid: 'zhaoliu', name: '赵六' }]);
    expect(summary.members.offline).toBe(1);
    expect(await orgModel().findMember(ACME_CORP, 'zhaoliu')).toMatchObject({ status: 'offline' });
    expect(await env.app.users.findById(login.userId)).toMatchObject({ disabled: true });
    expect(await errorCode(workbenchLoginThrough(env.app, ACME_LOGIN, sim, CORP_A.corpId, 'zhaoliu'))).toBe('NOT_CORP_MEMBER');
    expect(await errorCode(acme().offlineMember('nobody.here'))).toBe('NOT_FOUND');

    // The operator restores it from the command line (the app folder is the fixture; the database the test's).
    const saved = { url: process.env.JIT_DATABASE_URL, oapi: process.env.DINGTALK_OAPI_URL, a: process.env.DD_APP_SECRET_A, b: process.env.DD_APP_SECRET_B };
    Object.assign(process.env, { JIT_DATABASE_URL: target.url, DINGTALK_OAPI_URL: sim.oapiUrl, DD_APP_SECRET_A: 'x'.repeat(64), DD_APP_SECRET_B: 'y'.repeat(64) });
    let out = '';
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
    try {
      await env.close(); // one writer at a time on SQLite; reopened below
      expect(await main(['node', 'jit', 'org', 'restore', ACME_CORP, 'zhaoliu', '--app', TWO_ORGS_APP])).toBe(0);
    } finally {
      write.mockRestore();
      for (const [key, value] of Object.entries({ JIT_DATABASE_URL: saved.url, DINGTALK_OAPI_URL: saved.oapi, DD_APP_SECRET_A: saved.a, DD_APP_SECRET_B: saved.b })) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      env = await openLoginApp({ sim, app: TWO_ORGS_APP, database: { url: target.url } });
    }
    expect(out).toBe(`Restored zhaoliu (赵六) in ${ACME_CORP}: was offline; user zhaoliu enabled again\n`);
    expect((await env.app.audit.list({ user: login.userId })).events.map((e) => e.type)).toEqual(expect.arrayContaining(['membership.restored', 'user.enabled', 'membership.ended']));
    expect(await env.app.users.findById(login.userId)).toMatchObject({ disabled: false });
    expect(await workbenchLoginThrough(env.app, ACME_LOGIN, sim, CORP_A.corpId, 'zhaoliu')).toMatchObject({ userId: login.userId });
    expect((await acme().syncCorp()).members).toMatchObject({ offline: 0 });
  });

  it('nothing is deleted, and a second run with no change writes nothing', async () => {
    const summary = await acme().syncCorp();
    expect(summary.members).toMatchObject({ added: 0, updated: 0, left: 0, failed: 0 });
    expect(await bindings().findByMember(CORP_A.corpId, 'zhangsan')).not.toBeNull();
    expect(await env.app.users.findByUsername('zhangsan')).not.toBeNull();
  });
});
