/**
 * Upgrading a database that org sync wrote before the corps family (per DingTalk corpId, in
 * dd_departments / dd_org_members / dd_department_members, users `sync:<login>`): the new migrations
 * keep every row (copied under `dingtalk:<corpId>`, the leaver's binding marked left) and the corp's
 * first sync adopts them: no member is added twice, a leaver already recorded is not handled again,
 * and a leaver the old sync disabled is enabled again when they return. Real SQLite and PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import { openDatabase, coreModels, type Database } from '../../runtime/db';
import { createAuthStores } from '../../runtime/auth';
import type { SimulatorHandle } from '../../sim/types';
import { DDInnerAuth1760000001000 } from '../../elements/auths/loginTypes/DDInnerType/DDInnerAuthModel/migrations/DDInnerAuth1760000001000';
import { DDDepartments1795320858556 } from '../../elements/corps/models/OrgModel/migrations/DDDepartments1795320858556';
import type { DDInnerCorpType } from '../../elements/corps/DDInnerType/DDInnerCorpType';
import type { OrgModel } from '../../elements/corps/models/OrgModel/OrgModel';
import { CORP_A } from '../helpers/demo-org';
import { openLoginApp } from '../helpers/login-app';
import { workbenchLoginThrough } from '../helpers/login-steps';
import { useSimulator } from '../helpers/simulator';
import { describeEachDatabase } from '../helpers/each-database';
import { ACME_CORP, ACME_LOGIN, TWO_ORGS_APP } from './corps-fixture';

/** The database as the last release left it: its migrations only, and what its org sync wrote. */
async function legacyDatabase(url: string, sim: SimulatorHandle): Promise<{ leaverUserId: string; syncedUserIds: Map<string, string> }> {
  const db: Database = await openDatabase(url, [
    coreModels,
    { source: 'legacy', entities: [], migrations: [DDInnerAuth1760000001000, DDDepartments1795320858556] },
  ]);
  try {
    const users = createAuthStores(db).users;
    const q = (sql: string, params: unknown[]) => db.dataSource.query(db.kind === 'postgres' ? sql.replace(/\?/g, (() => { let n = 0; return () => `$${++n}`; })()) : sql, params);
    const now = new Date();
    const corp = sim.org.corps.find((c) => c.corpId === CORP_A.corpId)!;
    for (const d of corp.departments) {
      await q('INSERT INTO dd_departments (id, "corpId", "deptId", name, "parentId", "order", "removedAt", "createTime", "updateTime") VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)', [
        randomUUID(), CORP_A.corpId, d.dept_id, d.dept_id === 1 ? '' : d.name, d.dept_id === 1 ? null : d.parent_id, d.dept_id === 1 ? null : d.order ?? null, now, now,
      ]);
    }
    const syncedUserIds = new Map<string, string>();
    const member = async (userid: string, name: string, unionid: string, deptIds: number[], left: { userId: string } | null) => {
      const userId = left?.userId ?? (await users.create({ username: userid, displayName: name, source: `sync:${ACME_LOGIN}` })).id;
      syncedUserIds.set(userid, userId);
      await q('INSERT INTO dd_inner_auth (id, "userId", "thirdCorpId", "thirdUserId", "unionId", "createTime") VALUES (?, ?, ?, ?, ?, ?)', [randomUUID(), userId, CORP_A.corpId, userid, unionid, now]);
      await q('INSERT INTO dd_org_members (id, "corpId", userid, "unionId", name, "leftAt", "disabledUserId", "createTime", "updateTime") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
        randomUUID(), CORP_A.corpId, userid, unionid, name, left ? now : null, left?.userId ?? null, now, now,
      ]);
      for (const deptId of left ? [] : deptIds) await q('INSERT INTO dd_department_members (id, "corpId", "deptId", userid) VALUES (?, ?, ?, ?)', [randomUUID(), CORP_A.corpId, deptId, userid]);
    };
    for (const u of corp.users) await member(u.userid, u.name, u.unionid, [...new Set(u.dept_id_list)], null);
    // A member the old sync found gone: disabled, recorded with leftAt and disabledUserId.
    const leaver = await users.create({ username: 'old.leaver', displayName: 'Old Leaver', source: `sync:${ACME_LOGIN}` });
    await users.update(leaver.id, { disabled: true });
    await member('old.leaver', 'Old Leaver', 'oldLeaverUnionId00000xiE', [2], { userId: leaver.id });
    return { leaverUserId: leaver.id, syncedUserIds };
  } finally {
    await db.close();
  }
}

describeEachDatabase('upgrading a database org sync wrote per corpId', (target) => {
  const sim = useSimulator();

  it('keeps every row, and the corp adopts them on its first sync', async () => {
    const legacy = await legacyDatabase(target.url, sim);
    const env = await openLoginApp({ sim, app: TWO_ORGS_APP, database: { url: target.url } });
    try {
      const orgModel = env.app.getElement<OrgModel>('corps.models.OrgModel');
      // The migration copied the rows under the organisation's key, and marked the leaver's binding left.
      expect(await orgModel.countMembers(`dingtalk:${CORP_A.corpId}`)).toEqual({ active: 9, left: 1, offline: 0 });
      expect(await orgModel.findMember(`dingtalk:${CORP_A.corpId}`, 'old.leaver')).toMatchObject({ status: 'left', disabledUserId: legacy.leaverUserId, localUserId: legacy.leaverUserId });
      expect(await orgModel.findMember(`dingtalk:${CORP_A.corpId}`, 'zhangsan')).toMatchObject({ status: 'active', localUserId: legacy.syncedUserIds.get('zhangsan') });
      expect(await errorCodeOf(workbenchLoginThrough(env.app, ACME_LOGIN, sim, CORP_A.corpId, 'zhangsan'))).toBe('ok');

      const corp = env.app.getElement<DDInnerCorpType>(ACME_CORP);
      const summary = await corp.syncCorp();
      expect(summary.members).toMatchObject({ listed: 9, added: 0, failed: 0, left: 0, disabled: 0 });
      expect(summary.departments).toMatchObject({ added: 0 });
      expect(await orgModel.countMembers(`dingtalk:${CORP_A.corpId}`)).toEqual({ active: 0, left: 0, offline: 0 });
      expect(await orgModel.countMembers(ACME_CORP)).toEqual({ active: 9, left: 1, offline: 0 });
      expect((await env.app.users.list()).length).toBe(10);
      // The users the old sync created (`sync:<login>`) are still this organisation's to refresh.
      expect(summary.updated.flatMap((u) => u.changes).filter((c) => c.startsWith('member.added'))).toEqual([]);

      // The old leaver comes back: the same user, enabled again (the old sync disabled it).
      sim.addMember(CORP_A.corpId, { userid: 'old.leaver', unionid: 'oldLeaverUnionId00000xiE', name: 'Old Leaver', dept_id_list: [2] });
      const back = await corp.syncCorp();
      expect(back.updated).toEqual([expect.objectContaining({ userid: 'old.leaver', changes: expect.arrayContaining(['binding.restored', 'user.enabled', 'member.returned']) })]);
      expect(await env.app.users.findById(legacy.leaverUserId)).toMatchObject({ disabled: false });
    } finally {
      await env.close();
    }
  });
});

async function errorCodeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
}
