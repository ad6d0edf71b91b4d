/**
 * An app's own Type subclassing DDInnerType (`require('jit-runtime').DDInnerType`): the service finds
 * its instance by corpId like any DDInnerType instance, and the subclass's override is the code that runs.
 */
import { DDInnerType } from '../../index';
import { CORP_A, simMember } from '../helpers/demo-org';
import { ACME_LOGIN, useLoginApp } from '../helpers/login-app';
import { qrLogin, workbenchLogin } from '../helpers/login-steps';
import { useSimulator } from '../helpers/simulator';
import { describeEachDatabase } from '../helpers/each-database';

const sim = useSimulator();

describeEachDatabase('a subtype of DDInnerType', (db) => {
  const env = useLoginApp({ sim, app: 'subtype', database: db });

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
