import { openDatabase, type Database } from '../../runtime/db';
import { createAuthStores, type AuthStores } from '../../runtime/auth';
import type { AppHandle } from '../../runtime/app-types';
import type { ElementDefinition } from '../../runtime/definitions';
import { DDInnerAuthModel, contribution } from '../../elements/auths/loginTypes/DDInnerType/DDInnerAuthModel/DDInnerAuthModel';
import { NormalModel } from '../../elements/models/NormalType/NormalModel';
import { describeEachDatabase } from '../helpers/each-database';

const CORP_A = 'ding5f1e0c2b9a7d4e3f8c6b1a0d2e4f6a8c';
const CORP_B = 'ding0a1b2c3d4e5f60718293a4b5c6d7e8f9';

/** The model element as the runtime builds it: its definition and an app whose `db` is this database. */
function modelElement(db: Database): DDInnerAuthModel {
  const definition = { fullName: 'auths.loginTypes.DDInnerType.DDInnerAuthModel', title: 'DingTalk account binding' } as ElementDefinition;
  const app = { get db() { return db; } } as unknown as AppHandle;
  return new DDInnerAuthModel({ definition, app });
}

test('the module exports the model class and its contribution, also reachable from the class', () => {
  expect(Object.getPrototypeOf(DDInnerAuthModel)).toBe(NormalModel);
  expect(DDInnerAuthModel.contribution).toBe(contribution);
  expect(contribution.entities.map((e) => e.options.tableName)).toEqual(['dd_inner_auth']);
});

describeEachDatabase('DDInnerAuthModel', (target) => {
  let db: Database;
  let stores: AuthStores;
  let model: DDInnerAuthModel;

  beforeAll(async () => {
    db = await openDatabase(target.url, [contribution]);
    stores = createAuthStores(db);
    model = modelElement(db);
  });
  afterAll(() => db?.close());

  test('stores the documented fields and finds bindings by member and by user', async () => {
    const user = await stores.users.create({ username: 'model-alice' });
    const hiredDate = new Date('2021-08-16T10:26:56.828Z');
    const row = await model.insert({
      userId: user.id,
      thirdCorpId: CORP_A,
      thirdUserId: 'alice01',
      unionId: 'union-alice',
      jobNumber: 'E-001',
      phone: '13800138000',
      email: 'alice@acme.example',
      hiredDate,
      photo: 'https://static.example/alice.png',
    });
    // The documented fields, and leftAt (when the membership behind the binding ended; null while active).
    expect(Object.keys(row).sort()).toEqual(
      ['createTime', 'email', 'hiredDate', 'id', 'jobNumber', 'leftAt', 'phone', 'photo', 'thirdCorpId', 'thirdUserId', 'unionId', 'userId'].sort(),
    );
    expect(row.leftAt).toBeNull();

    const found = await model.findByMember(CORP_A, 'alice01');
    expect(found).toEqual(row);
    expect(found!.hiredDate!.getTime()).toBe(hiredDate.getTime());
    expect(await model.findByMember(CORP_B, 'alice01')).toBeNull();
    expect(await model.findByUserId(user.id, CORP_A)).toEqual([row]);
    expect(await model.findByUserId(user.id, CORP_B)).toEqual([]);

    // The same local user may be bound in another organisation.
    const other = await model.insert({ userId: user.id, thirdCorpId: CORP_B, thirdUserId: 'a-in-b' });
    expect(other).toMatchObject({ unionId: null, jobNumber: null, phone: null, email: null, hiredDate: null, photo: null });
    expect((await model.findByUserId(user.id)).map((r) => r.thirdCorpId).sort()).toEqual([CORP_A, CORP_B].sort());
  });

  test('one member binds to one user, and one user to at most one member of a corp', async () => {
    const bob = await stores.users.create({ username: 'model-bob' });
    const carol = await stores.users.create({ username: 'model-carol' });
    await model.insert({ userId: bob.id, thirdCorpId: CORP_A, thirdUserId: 'bob01' });

    const sameMember = await model.insert({ userId: carol.id, thirdCorpId: CORP_A, thirdUserId: 'bob01' }).catch((err: unknown) => err);
    expect(db.isUniqueViolation(sameMember)).toBe(true);
    const sameUserInCorp = await model.insert({ userId: bob.id, thirdCorpId: CORP_A, thirdUserId: 'bob02' }).catch((err: unknown) => err);
    expect(db.isUniqueViolation(sameUserInCorp)).toBe(true);
    const unknownUser = await model.insert({ userId: '00000000-0000-0000-0000-000000000000', thirdCorpId: CORP_A, thirdUserId: 'ghost' }).catch((err: unknown) => err);
    expect(unknownUser).toBeInstanceOf(Error);
    expect(db.isUniqueViolation(unknownUser)).toBe(false);
  });

  test('updateProfile changes only the given profile fields; remove unbinds and keeps the user', async () => {
    const dave = await stores.users.create({ username: 'model-dave' });
    const row = await model.insert({ userId: dave.id, thirdCorpId: CORP_A, thirdUserId: 'dave01', phone: '13900000000', email: 'old@acme.example' });

    expect(await model.updateProfile(row.id, { email: 'new@acme.example', unionId: 'union-dave', hiredDate: null })).toBe(true);
    expect(await model.findByMember(CORP_A, 'dave01')).toMatchObject({ email: 'new@acme.example', unionId: 'union-dave', phone: '13900000000', userId: dave.id });
    expect(await model.updateProfile(row.id, {})).toBe(true);
    expect(await model.updateProfile('00000000-0000-0000-0000-000000000000', { email: 'x@acme.example' })).toBe(false);

    expect(await model.remove(row.id)).toBe(true);
    expect(await model.remove(row.id)).toBe(false);
    expect(await model.findByMember(CORP_A, 'dave01')).toBeNull();
    expect(await stores.users.findById(dave.id)).not.toBeNull();
  });

  test('list filters by corp and pages', async () => {
    const all = await model.list();
    const inA = await model.list({ corpId: CORP_A });
    expect(inA.length).toBeGreaterThan(0);
    expect(inA.every((r) => r.thirdCorpId === CORP_A)).toBe(true);
    expect(all.length).toBeGreaterThan(inA.length);
    const firstPage = await model.list({ limit: 1 });
    const secondPage = await model.list({ limit: 1, offset: 1 });
    expect(firstPage).toEqual([all[0]]);
    expect(secondPage).toEqual([all[1]]);
  });

  test('50 concurrent first logins of one member give exactly one user and one binding', async () => {
    const userid = 'racer01';
    // Each attempt writes a user and the binding in one transaction; a loser re-reads.
    const firstLogin = async (attempt: number): Promise<string> => {
      try {
        return await db.transaction(async (manager) => {
          const existing = await model.findByMember(CORP_A, userid, manager);
          if (existing) return existing.userId;
          const user = await stores.users.create({ username: `racer-${attempt}`, source: 'login:test' }, manager);
          await model.insert({ userId: user.id, thirdCorpId: CORP_A, thirdUserId: userid }, manager);
          return user.id;
        });
      } catch (err) {
        if (!db.isUniqueViolation(err)) throw err;
        return (await model.findByMember(CORP_A, userid))!.userId;
      }
    };

    const userIds = await Promise.all(Array.from({ length: 50 }, (_, i) => firstLogin(i)));
    expect(new Set(userIds).size).toBe(1);
    const racers = (await stores.users.list()).filter((u) => u.username.startsWith('racer-'));
    expect(racers.map((u) => u.id)).toEqual([userIds[0]]);
    expect((await model.list({ corpId: CORP_A })).filter((r) => r.thirdUserId === userid)).toHaveLength(1);
  });
});
