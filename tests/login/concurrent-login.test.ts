/**
 * 50 concurrent first logins of one member, on SQLite and on PostgreSQL: one local user and one
 * binding, counted in the database; every caller is logged in as that user.
 */
import type { DingTalkLoginResult } from '../../elements/auths/loginTypes/DDInnerType/login-result';
import { CORP_A, simMember } from '../helpers/demo-org';
import { useLoginApp } from '../helpers/login-app';
import { qrLogin, workbenchLogin, countRows } from '../helpers/login-steps';
import { useSimulator } from '../helpers/simulator';
import { describeEachDatabase } from '../helpers/each-database';

const CONCURRENT = 50;

// Needs no throttle: tests 50 concurrent first logins of one member (one user, one binding), not DingTalk's limit.
const sim = useSimulator({ qps: 'off' });

function loggedInUserIds(results: DingTalkLoginResult[]): Set<string> {
  return new Set(results.map((result) => (result.status === 'LOGGED_IN' ? result.userId : `not logged in: ${result.status}`)));
}

describeEachDatabase('concurrent first logins', (db) => {
  const env = useLoginApp({ sim, app: 'create-user', database: db });

  test(`${CONCURRENT} first logins of one member (QR and workbench mixed) create one user and one binding`, async () => {
    const unionid = simMember(sim, CORP_A.corpId, 'wangfang02').unionid;
    const logins = Array.from({ length: CONCURRENT }, (_, i) =>
      i % 2 === 0 ? workbenchLogin(env, sim, 'wangfang02') : qrLogin(env.auth(), sim, unionid, { corpId: CORP_A.corpId }),
    );
    const results = await Promise.all(logins);
    const userIds = loggedInUserIds(results);
    expect(userIds.size).toBe(1);
    expect(results.filter((r) => r.status === 'LOGGED_IN' && r.binding === 'created')).toHaveLength(1);
    expect(await countRows(env.app, 'users', { column: 'displayName', value: '王芳' })).toBe(1);
    expect(await countRows(env.app, 'dd_inner_auth', { column: 'thirdUserId', value: 'wangfang02' })).toBe(1);
    expect(await countRows(env.app, 'sessions', { column: 'userId', value: [...userIds][0] })).toBe(CONCURRENT);
  });

  test(`${CONCURRENT} first logins that autoBind to one existing user write one binding`, async () => {
    const local = await env.app.users.create({ username: 'chen.jing', phone: '13800138007' });
    const results = await Promise.all(Array.from({ length: CONCURRENT }, () => workbenchLogin(env, sim, 'chenjing')));
    expect(loggedInUserIds(results)).toEqual(new Set([local.id]));
    expect(results.filter((r) => r.status === 'LOGGED_IN' && r.binding === 'autoBound')).toHaveLength(1);
    expect(await countRows(env.app, 'dd_inner_auth', { column: 'thirdUserId', value: 'chenjing' })).toBe(1);
    expect(await countRows(env.app, 'users', { column: 'phone', value: '13800138007' })).toBe(1);
  });
});
