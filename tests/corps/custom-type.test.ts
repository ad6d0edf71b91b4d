/**
 * A second corps Type proves the Meta: tests/fixtures/apps/custom-corp-app defines `corps.FileCorpType`
 * (members from a JSON file, matched to local users by email) against the same interface
 * (`CorpType`: getThirdCorpData, and bind). syncCorp, leavers, offline members and the membership
 * rules work for it as for DingTalk, with nothing DingTalk-specific and no change to the runtime.
 */
import * as path from 'node:path';
import type { CorpType } from '../../elements/corps/CorpType';
import type { OrgModel } from '../../elements/corps/models/OrgModel/OrgModel';
import { startCorpSyncScheduler } from '../../elements/corps/corp-sync-scheduler';
import { useLoginApp, readJson, writeJson } from '../helpers/login-app';
import { describeEachDatabase } from '../helpers/each-database';

const STAFF = 'corps.staff';
const CUSTOM_CORP_APP = path.resolve(__dirname, '../fixtures/apps/custom-corp-app');

describeEachDatabase('a corps Type of the app own (members from a JSON file)', (target) => {
  const env = useLoginApp({ app: CUSTOM_CORP_APP, copy: true, database: target, logs: 'silent', env: {} });
  const staff = () => env.app.getElement<CorpType>(STAFF);
  const orgFile = () => path.join(env.dir, 'staff.org.json');
  const setMembers = (change: (members: Array<Record<string, unknown>>) => Array<Record<string, unknown>>) => {
    const org = readJson(orgFile()) as { members: Array<Record<string, unknown>> };
    writeJson(orgFile(), { ...org, members: change(org.members) });
  };

  it('loads as a corps Type: its instance is a corp, and the schedule picks it up', async () => {
    expect(env.app.getDefinition(STAFF)).toMatchObject({ valid: true, level: 'instance', typeChain: ['corps.FileCorpType', 'corps.Meta'] });
    const scheduler = startCorpSyncScheduler(env.app);
    expect(scheduler.instances).toEqual([STAFF]);
    await scheduler.stop();
  });

  it('syncCorp: members bound by its own rule (an existing account by email, else a new user), dry run first', async () => {
    const ben = await env.app.users.create({ username: 'ben.local', email: 'ben@example.org', source: 'cli' });
    const plan = await staff().syncCorp({ dryRun: true });
    expect(plan).toMatchObject({ corp: STAFF, corpId: null, dryRun: true, members: { listed: 3, added: 3 } });
    expect((await staff().getLocalCorpData()).total).toBe(0);

    const summary = await staff().syncCorp();
    expect(summary.departments).toMatchObject({ listed: 3, added: 3 });
    expect(summary.members).toMatchObject({ listed: 3, added: 3, failed: 0 });
    expect(summary.added).toEqual([
      expect.objectContaining({ userid: 'ana', binding: 'created', username: 'ana' }),
      expect.objectContaining({ userid: 'ben', binding: 'autoBound', userId: ben.id }),
      expect.objectContaining({ userid: 'cy', binding: 'created', username: 'cy' }),
    ]);
    expect(await env.app.users.findByUsername('ana')).toMatchObject({ source: `sync:${STAFF}`, displayName: 'Ana', email: 'ana@example.org' });
    const orgModel = env.app.getElement<OrgModel>('corps.models.OrgModel');
    expect(await orgModel.listMemberDepartments(STAFF, 'ben')).toEqual([2, 3]);
    expect((await staff().syncCorp()).members).toMatchObject({ unchanged: 3, added: 0, updated: 0 });
  });

  it('leavers: a user it created is disabled and signed out; an account it found is kept and listed', async () => {
    const ana = (await env.app.users.findByUsername('ana'))!;
    const session = await env.app.sessions.create(ana.id);
    setMembers((members) => members.filter((m) => m.userid !== 'ana' && m.userid !== 'ben'));
    const summary = await staff().syncCorp();
    expect(summary.disabled).toEqual([expect.objectContaining({ userid: 'ana', userId: ana.id })]);
    expect(summary.leftKept).toEqual([expect.objectContaining({ userid: 'ben', username: 'ben.local', reason: 'unmanaged' })]);
    expect(await env.app.users.findById(ana.id)).toMatchObject({ disabled: true });
    expect(await env.app.sessions.verify(session.token)).toBeNull();
    expect(await env.app.users.findByUsername('ben.local')).toMatchObject({ disabled: false });
    expect((await staff().getStatus()).unmanagedLeavers).toEqual([expect.objectContaining({ userid: 'ben', username: 'ben.local' })]);
  });

  it('a rejoiner is the same user again; offline is sticky until restored', async () => {
    const ana = (await env.app.users.findByUsername('ana'))!;
    setMembers((members) => [...members, { userid: 'ana', name: 'Ana', email: 'ana@example.org', dept_id_list: [3] }]);
    const back = await staff().syncCorp();
    expect(back.updated).toEqual([expect.objectContaining({ userid: 'ana', changes: expect.arrayContaining(['user.enabled', 'member.returned', 'departments']) })]);
    expect(await env.app.users.findById(ana.id)).toMatchObject({ disabled: false });

    const [ended] = await staff().offlineMember('cy');
    expect(ended).toMatchObject({ userid: 'cy', action: 'disable' });
    expect((await staff().syncCorp()).offline).toEqual([{ userid: 'cy', name: 'Cy' }]);
    expect(await env.app.users.findByUsername('cy')).toMatchObject({ disabled: true });
    expect(await staff().restoreMember('cy')).toMatchObject({ was: 'offline', userEnabled: true });
    expect(await env.app.users.findByUsername('cy')).toMatchObject({ disabled: false });
  });

  it('its config is checked against its own schema, like any Type', () => {
    const config = path.join(env.dir, 'corps/staff/staff.json');
    writeJson(config, { ...readJson(config), fil: 'x' });
    return env.app.reload().then((result) => {
      expect(result.kept).toEqual([STAFF]);
      expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('"fil" is not allowed') })]);
    });
  });
});
