/**
 * The corp instance's methods, with JitAi's names: getThirdCorpData (the organisation as pieces,
 * without holding it whole), getLocalCorpData (paged), getRootDept (one department/get, cached),
 * getCorpInfo, getClient (the login's own client), and the sync lease seam (one sync of a corp at a
 * time). And the entry points from before the corps family: they still work, and warn once.
 */
import type { DDMember } from '../../dingtalk/client/types';
import type { DDInnerType } from '../../elements/auths/loginTypes/DDInnerType/DDInnerType';
import type { DDInnerCorpType } from '../../elements/corps/DDInnerType/DDInnerCorpType';
import type { CorpDataChunk } from '../../elements/corps/sync/hooks';
import { startOrgSyncScheduler, syncOrganization } from '../../elements/corps/deprecated';
import { generateOrg } from '../../sim';
import { ACME_CORP, ACME_LOGIN, TWO_ORGS_APP } from './corps-fixture';
import { CORP_A } from '../helpers/demo-org';
import { useLoginApp } from '../helpers/login-app';
import { errorCode } from '../helpers/login-steps';
import { useSimulator } from '../helpers/simulator';

describe('a corp instance', () => {
  // Acme with 230 members over 13 departments, so pages and pieces are many.
  const org = generateOrg({ members: 230, depth: 2, breadth: 3, seed: 7, corpId: CORP_A.corpId, app: { appKey: CORP_A.appKey, appSecret: CORP_A.appSecret, agentId: CORP_A.agentId } });
  const sim = useSimulator({ org });
  const env = useLoginApp({ sim, app: TWO_ORGS_APP, database: 'sqlite' });
  const corp = () => env.app.getElement<DDInnerCorpType>(ACME_CORP);

  it('getThirdCorpData yields the organisation as {department, members} pieces, a page at a time', async () => {
    const pieces: Array<CorpDataChunk<DDMember>> = [];
    for await (const piece of corp().getThirdCorpData({ pageSize: 20 })) pieces.push(piece);
    const departments = new Set(pieces.map((p) => p.department.deptId));
    expect(departments.size).toBe(13);
    expect(Math.max(...pieces.map((p) => p.members.length))).toBeLessThanOrEqual(20);
    expect(new Set(pieces.flatMap((p) => p.members.map((m) => m.userid))).size).toBe(230);
    expect(pieces.every((p) => p.failure === undefined)).toBe(true);
    expect(pieces.find((p) => p.department.deptId === 1)!.department).toEqual({ deptId: 1, name: '', parentId: null, order: null });
  });

  it('getThirdCorpData reports a part it could not read as a piece with a failure', async () => {
    sim.injectFault({ endpoints: ['topapi/v2/department/listsub'], kind: 'busy', count: 4 });
    try {
      const failures = [];
      for await (const piece of corp().getThirdCorpData()) if (piece.failure) failures.push(piece.failure);
      expect(failures).toEqual([expect.objectContaining({ kind: 'subDepartments', deptId: 1, code: 'DINGTALK_UNAVAILABLE' })]);
    } finally {
      sim.clearFaults();
    }
  });

  it('getLocalCorpData pages the members as the database has them', async () => {
    await corp().syncCorp();
    const first = await corp().getLocalCorpData({ offset: 0, limit: 100 });
    const last = await corp().getLocalCorpData({ offset: 200, limit: 100 });
    expect(first).toMatchObject({ offset: 0, limit: 100, total: 230 });
    expect(first.members).toHaveLength(100);
    expect(last.members).toHaveLength(30);
    expect(first.members[0]).toMatchObject({ userid: expect.any(String), status: 'active', userId: expect.any(String), deptIds: expect.arrayContaining([expect.any(Number)]) });
    const all = new Set([...first.members, ...(await corp().getLocalCorpData({ offset: 100, limit: 100 })).members, ...last.members].map((m) => m.userid));
    expect(all.size).toBe(230);
    expect(await errorCode(corp().getLocalCorpData({ limit: 0 }))).toBe('BAD_REQUEST');
  });

  it('getRootDept is the root department record, read with one department/get and kept', async () => {
    sim.resetCounters();
    const root = await corp().getRootDept();
    expect(root).toEqual({ deptId: 1, name: expect.any(String), parentId: null, order: expect.any(Number) });
    expect(root.name).not.toBe('');
    await corp().getRootDept();
    expect(sim.counters()['topapi/v2/department/get']).toBe(1);
    const info = await corp().getCorpInfo();
    expect(info).toMatchObject({ fullName: ACME_CORP, corpFullName: ACME_CORP, corpId: CORP_A.corpId, orgId: CORP_A.corpId, authFullName: ACME_LOGIN, rootDept: root });
    expect(info.settings).toEqual({ isActive: true, sync: { intervalMinutes: 60, events: false, catchUpAfterSeconds: 300 }, leavers: { disableUnmanaged: false } });
    expect(JSON.stringify(info)).not.toContain(CORP_A.appSecret);
    expect(sim.counters()['topapi/v2/department/get']).toBe(1);
  });

  it("getClient is the login's client (its token cache and budget)", () => {
    expect(corp().getClient()).toBe(env.app.getElement<DDInnerType>(ACME_LOGIN).getClient());
  });

  it('one sync of a corp at a time: a second one is refused while the first runs (SYNC_IN_PROGRESS, naming the holder)', async () => {
    const first = corp().syncCorp({ holder: 'the first run' });
    const second = await corp()
      .syncCorp()
      .catch((err: { code: string; message: string }) => err);
    expect(second).toMatchObject({ code: 'SYNC_IN_PROGRESS', message: expect.stringContaining('the first run') });
    await first;
    expect((await corp().syncCorp()).members.listed).toBe(230); // released
  });

  it('the entry points from before the corps family still sync, through the corp, and warn once', async () => {
    env.logs.length = 0;
    const login = env.app.getElement<DDInnerType>(ACME_LOGIN);
    const viaFunction = await syncOrganization(login, { dryRun: true });
    const viaMethod = (await login.syncOrganization({ dryRun: true })) as typeof viaFunction;
    expect(viaFunction).toMatchObject({ corp: ACME_CORP, dryRun: true, members: { listed: 230, unchanged: 230 } });
    expect(viaMethod).toMatchObject({ corp: ACME_CORP, members: { listed: 230 } });
    const scheduler = startOrgSyncScheduler(env.app);
    expect(scheduler.instances).toEqual([ACME_CORP]);
    await scheduler.stop();
    startOrgSyncScheduler(env.app).stop();
    const warnings = env.logs.filter((l) => l.level === 'warn' && l.deprecated);
    expect(warnings.map((w) => w.deprecated)).toEqual([`${ACME_LOGIN}.syncOrganization`, 'startOrgSyncScheduler']);
  });
});
