/**
 * Org sync end to end: a generated org (root + 3 levels, 85 departments, 1,000 members, a quarter
 * of them in two departments) served by the simulator over real HTTP, the fixture app on a real
 * database (a SQLite file; the same story on PostgreSQL with 400 members), paging forced with 5
 * members per page.
 *
 * One story, in order, on one database: dry run, first run, a second run that writes nothing,
 * changes in DingTalk (profile, departments, a leaver, a newcomer), the failed-fetch guard, a
 * returning member, and logins converging on synced users.
 */
import type { DatabaseKind } from '../../runtime/db/types';
import type { LocalUser } from '../../runtime/auth/types';
import type { SimOrg, SimOrgUser } from '../../sim/types';
import { DEFAULT_RETRY_POLICY } from '../../dingtalk/client';
import type { DDInnerAuthModel } from '../../elements/auths/loginTypes/DDInnerType/DDInnerAuthModel/DDInnerAuthModel';
import type { OrgModel } from '../../elements/corps/models/OrgModel/OrgModel';
import type { SyncOptions, SyncSummary } from '../../elements/corps/sync';
import { SUMMARY_LIST_LIMIT } from '../../elements/corps/sync/summary';
import { describeWithPostgres } from '../helpers/requirements';
import { CORP, SYNC_CORP, cloneOrg, corpOf, countRows, dumpTables, expectedMemberPages, generatedOrg, memberIn, membershipCount, withSimulator, withSyncApp, type SyncApp } from './org-fixture';
import { useScratchDatabase } from '../helpers/scratch-database';

const PAGE_SIZE = 5;
const SOURCE = `sync:${CORP}`;
const MODEL = 'auths.loginTypes.DDInnerType.DDInnerAuthModel';
const ORG_MODEL = 'corps.models.OrgModel';

const userids = (items: Array<{ userid: string }>) => items.map((i) => i.userid).sort();

/** Who plays which part in the story, by userid (generated userids are zero-padded to the org's size). */
function castOf(size: number) {
  const uid = (n: number) => `user${String(n).padStart(String(size).length, '0')}`;
  return {
    first: uid(1),
    /** Matches a pre-existing local user by phone: auto-bound, later leaves (account kept). */
    autoBound: uid(7),
    /** Matches two pre-existing local users: refused until one is disabled. */
    ambiguous: uid(13),
    renamed: uid(size / 10),
    moved: uid(size / 5),
    leaver: uid((3 * size) / 10),
    guardLeaver: uid((2 * size) / 5),
    workbench: uid(size / 2),
    qr: uid((3 * size) / 5),
    /** Whose record the newcomers copy. */
    template: uid(size - 1),
    newcomer: uid(size + 1),
    earlyBird: uid(size + 2),
  };
}

/**
 * The story on one database. `size` members: 1,000 on SQLite (the bar); fewer on
 * PostgreSQL, where the same code paths run and every query is a round trip.
 */
function orgStory(kind: DatabaseKind, size: number): void {
  const org0 = generatedOrg(size);
  const cast = castOf(size);
  const db = useScratchDatabase(kind);
  let org = org0;
  const localUsers: Record<string, LocalUser> = {};

  /** The app against DingTalk-as-`org` for the duration of fn. */
  const withApp = <T>(fn: (env: SyncApp) => Promise<T>, sim = org): Promise<T> => withSimulator(sim, (s) => withSyncApp(s, db.url, fn));
  const sync = (options: SyncOptions = {}) => withApp(({ corp }) => corp.syncCorp({ pageSize: PAGE_SIZE, ...options }));
  const bindingOf = (env: SyncApp, userid: string) => env.app.getElement<DDInnerAuthModel>(MODEL).findByMember(SYNC_CORP.corpId, userid);
  const orgModel = (env: SyncApp) => env.app.getElement<OrgModel>(ORG_MODEL);

  beforeAll(async () => {
    // Local accounts that exist before any sync: one the autoBind rule (mobile -> phone) finds,
    // and two sharing a phone, which autoBind must refuse to choose between.
    await withApp(async ({ app }) => {
      localUsers.alice = await app.users.create({ username: 'alice.local', phone: memberIn(org0, cast.autoBound).mobile, source: 'cli' });
      localUsers.twinOne = await app.users.create({ username: 'twin.one', phone: memberIn(org0, cast.ambiguous).mobile, source: 'cli' });
      localUsers.twinTwo = await app.users.create({ username: 'twin.two', phone: memberIn(org0, cast.ambiguous).mobile, source: 'cli' });
    });
  });

  it('the generated org has 3 levels below the root and people in several departments', () => {
    const corp = corpOf(org0);
    expect(corp.departments).toHaveLength(85);
    expect(corp.users).toHaveLength(size);
    expect(membershipCount(org0)).toBeGreaterThan(size * 1.1);
    expect(expectedMemberPages(org0, PAGE_SIZE)).toBeGreaterThan(corp.departments.length); // paging happens
  });

  it('a dry run reports what would be added and writes nothing', async () => {
    const { before, after, summary } = await withApp(async ({ app, corp }) => {
      const before = await dumpTables(app);
      const summary = await corp.syncCorp({ pageSize: PAGE_SIZE, dryRun: true });
      return { before, after: await dumpTables(app), summary };
    });
    expect(after).toEqual(before);
    expect(before.dd_inner_auth).toHaveLength(0);
    expect(summary).toMatchObject({ dryRun: true, complete: true, corp: CORP, instance: CORP, corpId: SYNC_CORP.corpId, runId: null });
    expect(summary.departments).toEqual({ listed: 85, added: 85, updated: 0, removed: 0, unchanged: 0 });
    expect(summary.members).toEqual({ listed: size, added: size - 1, updated: 0, unchanged: 0, unbound: 0, offline: 0, failed: 1, left: 0, disabled: 0, leftKept: 0 });
    expect(summary.added.find((a) => a.userid === cast.autoBound)).toEqual({
      userid: cast.autoBound, name: memberIn(org0, cast.autoBound).name, binding: 'autoBound', userId: localUsers.alice.id, username: 'alice.local',
    });
    // The lists are bounded (SUMMARY_LIST_LIMIT, the first by userid), the counts whole: a summary
    // that listed every member would grow with the organisation.
    expect(summary.added).toHaveLength(SUMMARY_LIST_LIMIT);
    expect(userids(summary.added)).toEqual(userids(corpOf(org0).users).filter((u) => u !== cast.ambiguous).slice(0, SUMMARY_LIST_LIMIT));
    expect(summary.truncated).toBe(true);
    expect(summary.failureCount).toBe(1);
    expect(summary.failures).toEqual([expect.objectContaining({ kind: 'member', userid: cast.ambiguous, code: 'AMBIGUOUS_MATCH' })]);
  });

  it('the first run stores every department, member and binding, reading pages breadth-first', async () => {
    const { summary, counters, env } = await withSimulator(org, (sim) =>
      withSyncApp(sim, db.url, async (env) => {
        const summary = await env.corp.syncCorp({ pageSize: PAGE_SIZE });
        const firstUser = await env.app.users.findByUsername(cast.first);
        const firstBinding = await bindingOf(env, cast.first);
        const multi = corpOf(org0).users.find((u) => u.dept_id_list.length > 1 && u.userid !== cast.ambiguous)!;
        const departments = await orgModel(env).listDepartments(CORP);
        return {
          summary,
          counters: sim.counters(),
          env: {
            counts: {
              users: await countRows(env.app, 'users'),
              synced: await countRows(env.app, 'users', { column: 'source', value: SOURCE }),
              bindings: await countRows(env.app, 'dd_inner_auth'),
              departments: await countRows(env.app, 'corp_departments'),
              members: await countRows(env.app, 'corp_members'),
              links: await countRows(env.app, 'corp_department_members'),
            },
            firstUser,
            firstBinding,
            multi: { member: multi, links: await orgModel(env).listMemberDepartments(CORP, multi.userid) },
            departments,
            aliceBinding: await bindingOf(env, cast.autoBound),
          },
        };
      }),
    );
    expect(summary.members).toEqual({ listed: size, added: size - 1, updated: 0, unchanged: 0, unbound: 0, offline: 0, failed: 1, left: 0, disabled: 0, leftKept: 0 });
    expect(summary.departments).toMatchObject({ added: 85, removed: 0 });
    // One listsub per department (BFS over direct children), one user/list per page.
    expect(counters['topapi/v2/department/listsub']).toBe(85);
    expect(counters['topapi/v2/user/list']).toBe(expectedMemberPages(org0, PAGE_SIZE));

    const ambiguous = memberIn(org0, cast.ambiguous);
    expect(env.counts).toEqual({
      users: 3 + size - 2,
      synced: size - 2,
      bindings: size - 1,
      departments: 85,
      members: size - 1,
      links: membershipCount(org0) - ambiguous.dept_id_list.length,
    });

    const member = memberIn(org0, cast.first);
    expect(env.firstUser).toMatchObject({
      username: cast.first, displayName: member.name, phone: member.mobile, email: member.email, employeeNo: member.job_number, source: SOURCE, disabled: false,
    });
    expect(env.firstBinding).toMatchObject({
      userId: env.firstUser!.id, thirdCorpId: SYNC_CORP.corpId, thirdUserId: cast.first, unionId: member.unionid, jobNumber: member.job_number,
      phone: member.mobile, email: member.email, photo: null,
    });
    expect(new Date(env.firstBinding!.hiredDate!).getTime()).toBe(member.hired_date);
    expect(env.aliceBinding?.userId).toBe(localUsers.alice.id);
    expect(env.multi.links).toEqual([...env.multi.member.dept_id_list].sort((a, b) => a - b));

    const byId = new Map(env.departments.map((d) => [d.deptId, d]));
    expect(byId.get(1)).toMatchObject({ name: '', parentId: null, removedAt: null });
    for (const dept of corpOf(org0).departments.filter((d) => d.dept_id !== 1)) {
      expect(byId.get(dept.dept_id)).toMatchObject({ name: dept.name, parentId: dept.parent_id, order: dept.order });
    }
  });

  it('once the ambiguity is resolved, the member is bound to the one remaining candidate', async () => {
    await withApp(({ app }) => app.users.update(localUsers.twinTwo.id, { disabled: true }));
    const summary = await sync();
    expect(summary.members).toMatchObject({ added: 1, unchanged: size - 1, updated: 0, failed: 0 });
    expect(summary.added).toEqual([expect.objectContaining({ userid: cast.ambiguous, binding: 'autoBound', userId: localUsers.twinOne.id })]);
    expect(summary.failures).toEqual([]);
  });

  it('a second run with no change in DingTalk writes nothing', async () => {
    const { before, after, summary } = await withApp(async ({ app, corp }) => {
      const before = await dumpTables(app);
      const summary = await corp.syncCorp({ pageSize: PAGE_SIZE });
      return { before, after: await dumpTables(app), summary };
    });
    expect(summary.members).toEqual({ listed: size, added: 0, updated: 0, unchanged: size, unbound: 0, offline: 0, failed: 0, left: 0, disabled: 0, leftKept: 0 });
    expect(summary.departments).toEqual({ listed: 85, added: 0, updated: 0, removed: 0, unchanged: 85 });
    expect(after).toEqual(before);
  });

  describe('changes in DingTalk', () => {
    const org1 = cloneOrg(org0);
    const corp1 = corpOf(org1);
    const REMOVED_DEPT = 85;
    const SIBLING_DEPT = 84;
    const movedOutOfRemoved = corpOf(org0).users.filter((u) => u.dept_id_list.includes(REMOVED_DEPT)).map((u) => u.userid);
    let session0300 = '';

    beforeAll(async () => {
      const edit = (userid: string, change: (u: SimOrgUser) => void) => change(corp1.users.find((u) => u.userid === userid)!);
      edit(cast.renamed, (u) => {
        u.mobile = '13999990100';
        u.name = 'Renamed Person';
      });
      edit(cast.moved, (u) => {
        u.dept_id_list = [u.dept_id_list[0] === 2 ? 3 : 2];
      });
      corp1.users = corp1.users.filter((u) => u.userid !== cast.leaver && u.userid !== cast.autoBound);
      corp1.users.push({ ...memberIn(org0, cast.template), userid: cast.newcomer, unionid: 'newcomerunionid00000xiE', mobile: String(13800000000 + size + 1), name: 'New Comer', dept_id_list: [5] });
      corp1.departments.find((d) => d.dept_id === 6)!.name = 'Renamed Dept';
      corp1.departments = corp1.departments.filter((d) => d.dept_id !== REMOVED_DEPT);
      for (const u of corp1.users) u.dept_id_list = [...new Set(u.dept_id_list.map((id) => (id === REMOVED_DEPT ? SIBLING_DEPT : id)))];
      // A leaver keeps no session.
      await withApp(async ({ app }) => {
        const binding = await app.getElement<DDInnerAuthModel>(MODEL).findByMember(SYNC_CORP.corpId, cast.leaver);
        session0300 = (await app.sessions.create(binding!.userId)).token;
      });
    });

    const expectChanges = (summary: SyncSummary) => {
      const updated = [...new Set([cast.renamed, cast.moved, ...movedOutOfRemoved])].filter((id) => id !== cast.leaver && id !== cast.autoBound).sort();
      expect(summary.departments).toEqual({ listed: 84, added: 0, updated: 1, removed: 1, unchanged: 83 });
      expect(summary.members).toEqual({
        listed: size - 1, added: 1, updated: updated.length, unchanged: size - 1 - 1 - updated.length, unbound: 0, offline: 0, failed: 0, left: 2, disabled: 1, leftKept: 1,
      });
      expect(userids(summary.updated)).toEqual(updated);
      expect(summary.added).toEqual([expect.objectContaining({ userid: cast.newcomer, binding: 'created' })]);
      expect(summary.disabled).toEqual([expect.objectContaining({ userid: cast.leaver, username: cast.leaver })]);
      expect(summary.leftKept).toEqual([expect.objectContaining({ userid: cast.autoBound, userId: localUsers.alice.id })]);
      expect(summary.updated.find((u) => u.userid === cast.renamed)!.changes).toEqual(
        expect.arrayContaining(['binding.phone', 'user.displayName', 'user.phone', 'member.name']),
      );
      expect(summary.updated.find((u) => u.userid === cast.moved)!.changes).toEqual(['departments']);
    };

    it('a dry run lists them exactly and writes nothing', async () => {
      org = org1;
      const { before, after, summary } = await withApp(async ({ app, corp }) => {
        const before = await dumpTables(app);
        const summary = await corp.syncCorp({ pageSize: PAGE_SIZE, dryRun: true });
        return { before, after: await dumpTables(app), summary };
      });
      expectChanges(summary);
      expect(after).toEqual(before);
    });

    it('a run applies them: profile refreshed, departments moved, leaver disabled (not deleted), newcomer added', async () => {
      const summary = await sync();
      expectChanges(summary);
      await withApp(async (env) => {
        const { app } = env;
        const leaverBinding = await bindingOf(env, cast.leaver);
        expect(leaverBinding).not.toBeNull(); // bindings and users are never deleted
        expect(await app.users.findById(leaverBinding!.userId)).toMatchObject({ disabled: true });
        expect(await app.sessions.verify(session0300)).toBeNull();
        expect(await orgModel(env).findMember(CORP, cast.leaver)).toMatchObject({ status: 'left', leftAt: expect.any(Date), disabledUserId: leaverBinding!.userId });
        expect(await orgModel(env).listMemberDepartments(CORP, cast.leaver)).toEqual([]);

        // Bound by autoBind to an account that existed before: recorded as left, never disabled.
        expect(await app.users.findById(localUsers.alice.id)).toMatchObject({ disabled: false });
        expect(await orgModel(env).findMember(CORP, cast.autoBound)).toMatchObject({ status: 'left', leftAt: expect.any(Date), disabledUserId: null });

        const renamed = await bindingOf(env, cast.renamed);
        expect(renamed).toMatchObject({ phone: '13999990100' });
        expect(await app.users.findById(renamed!.userId)).toMatchObject({ displayName: 'Renamed Person', phone: '13999990100' });
        expect(await orgModel(env).listMemberDepartments(CORP, cast.moved)).toEqual(memberIn(org1, cast.moved).dept_id_list);

        const departments = new Map((await orgModel(env).listDepartments(CORP)).map((d) => [d.deptId, d]));
        expect(departments.get(REMOVED_DEPT)?.removedAt).toBeInstanceOf(Date);
        expect(departments.get(6)).toMatchObject({ name: 'Renamed Dept', removedAt: null });
        expect(await orgModel(env).listDepartmentMembers(CORP, REMOVED_DEPT)).toEqual([]);
      });
    });

    it('running again changes nothing (leavers already recorded are not touched again)', async () => {
      const { before, after, summary } = await withApp(async ({ app, corp }) => {
        const before = await dumpTables(app);
        const summary = await corp.syncCorp({ pageSize: PAGE_SIZE });
        return { before, after: await dumpTables(app), summary };
      });
      expect(summary.members).toMatchObject({ listed: size - 1, added: 0, updated: 0, disabled: 0, leftKept: 0, unchanged: size - 1 });
      expect(after).toEqual(before);
    });
  });

  describe('the failed-fetch guard', () => {
    let org2: SimOrg;
    beforeAll(() => {
      org2 = cloneOrg(org);
      corpOf(org2).users = corpOf(org2).users.filter((u) => u.userid !== cast.guardLeaver);
    });

    it('when a page of members cannot be read, nobody is disabled and the failure is reported', async () => {
      const summary = await withSimulator(org2, (sim) =>
        withSyncApp(sim, db.url, async ({ corp }) => {
          // The first user/list call (the root's first page, with one call in flight at a time)
          // fails on every attempt the client makes.
          sim.injectFault({ endpoints: ['topapi/v2/user/list'], kind: 'busy', count: DEFAULT_RETRY_POLICY.maxAttempts });
          return corp.syncCorp({ pageSize: PAGE_SIZE, concurrency: 1 });
        }),
      );
      expect(summary.complete).toBe(false);
      expect(summary.failures).toEqual([expect.objectContaining({ kind: 'memberPage', deptId: 1, cursor: 0, code: 'DINGTALK_UNAVAILABLE' })]);
      expect(summary.members.disabled).toBe(0);
      expect(summary.departments.removed).toBe(0);
      expect(summary.leaversSkipped).toMatch(/incomplete/);
      await withApp(async (env) => {
        const binding = await bindingOf(env, cast.guardLeaver);
        expect(await env.app.users.findById(binding!.userId)).toMatchObject({ disabled: false });
        expect(await orgModel(env).findMember(CORP, cast.guardLeaver)).toMatchObject({ leftAt: null });
      }, org2);
    });

    it('the next complete run disables the leaver', async () => {
      org = org2;
      const summary = await sync();
      expect(summary.complete).toBe(true);
      expect(summary.members).toMatchObject({ disabled: 1, updated: 0, added: 0 });
      expect(userids(summary.disabled)).toEqual([cast.guardLeaver]);
    });
  });

  it('a returning member is enabled again', async () => {
    const org3 = cloneOrg(org);
    const returning = structuredClone(memberIn(org0, cast.leaver));
    // Department 85 is gone by now; DingTalk would list the member's current departments.
    returning.dept_id_list = [...new Set(returning.dept_id_list.map((id) => (id === 85 ? 84 : id)))];
    corpOf(org3).users.push(returning);
    org = org3;
    const summary = await sync();
    expect(summary.members).toMatchObject({ added: 0, updated: 1, disabled: 0 });
    expect(summary.updated).toEqual([expect.objectContaining({ userid: cast.leaver, changes: expect.arrayContaining(['user.enabled', 'member.returned', 'departments']) })]);
    await withApp(async (env) => {
      const binding = await bindingOf(env, cast.leaver);
      expect(await env.app.users.findById(binding!.userId)).toMatchObject({ disabled: false });
      expect(await orgModel(env).findMember(CORP, cast.leaver)).toMatchObject({ status: 'active', leftAt: null, disabledUserId: null });
    });
  });

  describe('convergence with logins (same identity key: corpId + userid)', () => {
    it('a synced member logging in by workbench or by QR lands on the synced user', async () => {
      await withSimulator(org, (sim) =>
        withSyncApp(sim, db.url, async (env) => {
          const bindingsBefore = await countRows(env.app, 'dd_inner_auth');
          const syncedWorkbench = await bindingOf(env, cast.workbench);
          const workbench = await env.auth.getLoginCode({ code: sim.mintWorkbenchCode(SYNC_CORP.corpId, cast.workbench), loginType: 'workbench', platform: 'mobile' });
          expect(workbench).toMatchObject({ status: 'LOGGED_IN', binding: 'existing', userId: syncedWorkbench!.userId });

          const syncedQr = await bindingOf(env, cast.qr);
          const { state, appKey } = env.auth.getLoginConfig();
          const qr = await env.auth.getLoginCode({ code: sim.mintQrCode(appKey, memberIn(org, cast.qr).unionid), loginType: 'qr', platform: 'web', state });
          expect(qr).toMatchObject({ status: 'LOGGED_IN', binding: 'existing', userId: syncedQr!.userId });
          expect(await countRows(env.app, 'dd_inner_auth')).toBe(bindingsBefore);
        }),
      );
    });

    it('a member who logged in before being synced is not added twice, and sync manages them', async () => {
      const org4 = cloneOrg(org);
      corpOf(org4).users.push({ ...structuredClone(memberIn(org0, cast.template)), userid: cast.earlyBird, unionid: 'earlybirdunionid0000xiE', mobile: String(13800000000 + size + 2), name: 'Early Bird', dept_id_list: [7] });
      org = org4;
      const login = await withSimulator(org, (sim) =>
        withSyncApp(sim, db.url, (env) => env.auth.getLoginCode({ code: sim.mintWorkbenchCode(SYNC_CORP.corpId, cast.earlyBird), loginType: 'workbench' })),
      );
      expect(login).toMatchObject({ status: 'LOGGED_IN', binding: 'created' });
      const loggedInUserId = (login as { userId: string }).userId;

      const summary = await sync();
      expect(summary.members).toMatchObject({ added: 0, updated: 1 });
      expect(summary.updated).toEqual([expect.objectContaining({ userid: cast.earlyBird, changes: ['member.added', 'departments'] })]);
      await withApp(async (env) => expect((await bindingOf(env, cast.earlyBird))?.userId).toBe(loggedInUserId));

      // Provisioned by this instance's login, so sync manages it: when the member leaves, it is disabled.
      const org5 = cloneOrg(org);
      corpOf(org5).users = corpOf(org5).users.filter((u) => u.userid !== cast.earlyBird);
      org = org5;
      const leaving = await sync();
      expect(leaving.disabled).toEqual([expect.objectContaining({ userid: cast.earlyBird, userId: loggedInUserId })]);
    });
  });
}

describe('org sync [sqlite]', () => orgStory('sqlite', 1000));
describeWithPostgres('org sync [postgres]', () => orgStory('postgres', 400));
