/**
 * Sync under `whenNotAssociated: reject` (bindExisting behaves the same for sync): nobody is created;
 * members stay unbound, their org records and departments are still kept, and a member is bound as
 * soon as an autoBind rule finds their local account. Leavers among them are recorded, not disabled.
 */
import * as path from 'node:path';
import { generateOrg } from '../../sim';
import type { SimulatorHandle } from '../../sim/types';
import type { DDInnerCorpType } from '../../elements/corps/DDInnerType/DDInnerCorpType';
import type { OrgModel } from '../../elements/corps/models/OrgModel/OrgModel';
import { APP_ENV, CORP, SYNC_CORP, cloneOrg, corpOf, countRows, dumpTables, membershipCount } from './org-fixture';
import type { SimOrg } from '../../sim/types';
import type { AppHandle } from '../../runtime/app-types';
import { openLoginApp } from '../helpers/login-app';
import { withSimulator } from '../helpers/simulator';
import { useScratchDatabase } from '../helpers/scratch-database';

const REJECT_APP = path.resolve(__dirname, 'fixtures/reject-app');

describe('org sync when the policy never creates users', () => {
  const org = generateOrg({
    members: 40,
    depth: 2,
    breadth: 2,
    multiDeptShare: 0.3,
    seed: 8,
    corpId: SYNC_CORP.corpId,
    app: { appKey: SYNC_CORP.appKey, appSecret: SYNC_CORP.appSecret, agentId: SYNC_CORP.agentId },
  });
  const db = useScratchDatabase('sqlite');

  async function withRejectApp<T>(current: SimOrg, fn: (app: AppHandle, corp: DDInnerCorpType, sim: SimulatorHandle) => Promise<T>): Promise<T> {
    // The paid tier on both sides (60 calls a second per API; the fixture's dingtalk.qps is 60): 1,000-member
    // syncs stay quick. DingTalk's default 20 is paced in tests/client and measured in npm run bench.
    return withSimulator({ org: current, qps: 60 }, async (sim) => {
      const env = await openLoginApp({ sim, app: REJECT_APP, env: APP_ENV, database: db, logs: 'silent' });
      try {
        return await fn(env.app, env.corp(CORP), sim);
      } finally {
        await env.close();
      }
    });
  }

  it('keeps every member unbound, with their org record and departments', async () => {
    await withRejectApp(org, async (app, corp) => {
      const summary = await corp.syncCorp({ pageSize: 7 });
      expect(summary.members).toEqual({ listed: 40, added: 0, updated: 0, unchanged: 0, unbound: 40, offline: 0, failed: 0, left: 0, disabled: 0, leftKept: 0 });
      expect(await countRows(app, 'users')).toBe(0);
      expect(await countRows(app, 'dd_inner_auth')).toBe(0);
      expect(await countRows(app, 'corp_members')).toBe(40);
      expect(await countRows(app, 'corp_department_members')).toBe(membershipCount(org));

      // Again: still unbound, and nothing is written.
      const before = await dumpTables(app);
      expect((await corp.syncCorp({ pageSize: 7 })).members).toMatchObject({ unbound: 40, added: 0 });
      expect(await dumpTables(app)).toEqual(before);
    });
  });

  it('binds a member once an autoBind rule finds their local account', async () => {
    const member = corpOf(org).users[4];
    await withRejectApp(org, async (app, corp) => {
      const local = await app.users.create({ username: 'local.person', employeeNo: member.job_number, source: 'cli' });
      const summary = await corp.syncCorp({ pageSize: 7 });
      expect(summary.members).toMatchObject({ added: 1, unbound: 39 });
      expect(summary.added).toEqual([{ userid: member.userid, name: member.name, binding: 'autoBound', userId: local.id, username: 'local.person' }]);
    });
  });

  it('records unbound leavers as left and disables nobody', async () => {
    const next = cloneOrg(org);
    const gone = corpOf(next).users.splice(0, 2).map((u) => u.userid);
    const bound = corpOf(org).users[4].userid;
    corpOf(next).users = corpOf(next).users.filter((u) => u.userid !== bound);
    await withRejectApp(next, async (app, corp) => {
      const summary = await corp.syncCorp({ pageSize: 7 });
      expect(summary.members).toMatchObject({ listed: 37, disabled: 0, leftKept: 1 });
      expect(summary.leftKept).toEqual([expect.objectContaining({ userid: bound, username: 'local.person' })]);
      const orgModel = app.getElement<OrgModel>('corps.models.OrgModel');
      for (const userid of [...gone, bound]) expect(await orgModel.findMember(CORP, userid)).toMatchObject({ status: 'left', leftAt: expect.any(Date) });
      expect(await app.users.findByUsername('local.person')).toMatchObject({ disabled: false });
    });
  });
});
