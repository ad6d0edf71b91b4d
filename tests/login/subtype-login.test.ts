/**
 * An app's own Type subclassing DDInnerType (`require('jit-runtime').DDInnerType`): the service finds
 * its instance by corpId like any DDInnerType instance, and the subclass's override is the code that runs.
 */
import type { SimulatorHandle } from '../../sim/types';
import type { DatabaseKind } from '../../runtime/db/types';
import { DDInnerType } from '../../index';
import {
  ACME_LOGIN, CORP_A, describeOnBothDatabases, openLoginApp, qrLogin, scratchDatabase, simMember, startSimulator, workbenchLogin,
  type LoginApp, type ScratchDatabase,
} from './support/login-env';

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim?.close());

describeOnBothDatabases('a subtype of DDInnerType', (kind: DatabaseKind) => {
  let database: ScratchDatabase;
  let env: LoginApp;
  beforeAll(async () => {
    database = await scratchDatabase(kind);
    env = await openLoginApp('subtype', { sim, databaseUrl: database.url });
  });
  afterAll(async () => {
    await env?.close();
    await database?.remove();
  });

  test('getAuthByCorpId finds the subtype\'s instance; both flows log in through it', async () => {
    const auth = env.svc.getAuthByCorpId(CORP_A.corpId);
    expect(auth).toBeInstanceOf(DDInnerType);
    expect(auth?.constructor.name).toBe('StampedDDType');
    expect(auth?.fullName).toBe(ACME_LOGIN);

    const viaWorkbench = await workbenchLogin(env, sim, 'zhangsan');
    expect(viaWorkbench).toMatchObject({ status: 'LOGGED_IN', binding: 'created', stampedBy: ACME_LOGIN, user: { source: `login:${ACME_LOGIN}` } });
    const viaQr = await qrLogin(env.auth(), sim, simMember(sim, CORP_A.corpId, 'zhangsan').unionid);
    expect(viaQr).toMatchObject({ status: 'LOGGED_IN', binding: 'existing' });
    if (viaQr.status === 'LOGGED_IN' && viaWorkbench.status === 'LOGGED_IN') expect(viaQr.userId).toBe(viaWorkbench.userId);
  });
});
