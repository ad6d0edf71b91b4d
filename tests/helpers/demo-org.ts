/**
 * The demo org the simulator serves by default (sim/orgs/demo.json): Acme (corp A) and Globex
 * (corp B), each with one DingTalk app, and the environment the fixture apps read their secrets from.
 */
import { loadDemoOrg } from '../../sim';
import type { SimOrgUser, SimulatorHandle } from '../../sim/types';

export const DEMO_ORG = loadDemoOrg();
export const demoCorpA = DEMO_ORG.corps[0];
export const demoCorpB = DEMO_ORG.corps[1];

/** Corp A's ids and app, as the fixture apps' configs name them. */
export const CORP_A = {
  corpId: 'ding5f1e0c2b9a7d4e3f8c6b1a0d2e4f6a8c',
  appKey: 'dinga1b2c3d4e5f6g7h8',
  appSecret: 'kgPoYqnCDoYzBKbftfOoXTZhQ8stzhe6SVI34Zwh8Xms9bmOxojRlO8f2NxmZQqD',
  agentId: 3012345678,
};
export const CORP_B = {
  corpId: 'ding0a1b2c3d4e5f60718293a4b5c6d7e8f9',
  appKey: 'dingz9y8x7w6v5u4t3s2',
  appSecret: 'GcwWdLLjTwr6ZQLikIubkNcFk2VUaIsdmk2Xty2Xa6BZNbrKIRaGSxoHYL9f6SN2',
  agentId: 3098765432,
};

/** The secrets as the fixture apps' configs reference them (`{{DD_APP_SECRET_A}}`, `{{DD_APP_SECRET_B}}`). */
export const DEMO_SECRETS_ENV: Record<string, string> = { DD_APP_SECRET_A: CORP_A.appSecret, DD_APP_SECRET_B: CORP_B.appSecret };

/** A member of the simulator's org (the handle's org is the live data the simulator answers from). */
export function simMember(sim: SimulatorHandle, corpId: string, userid: string): SimOrgUser {
  const member = sim.org.corps.find((corp) => corp.corpId === corpId)?.users.find((user) => user.userid === userid);
  if (!member) throw new Error(`no member ${userid} in ${corpId}`);
  return member;
}
