/**
 * The simulator's unified token endpoint, `POST /v1.0/oauth2/{corpId}/token` (docs/dingtalk-facts.md §2c):
 * a token for the app in its own organisation; the documented errors otherwise.
 */
import { CORP_A, CORP_B } from '../helpers/demo-org';
import { useSimulator } from '../helpers/simulator';

describe('POST /v1.0/oauth2/{corpId}/token on the simulator', () => {
  const sim = useSimulator();

  const post = async (corpId: string, body: unknown) => {
    const res = await fetch(`${sim.apiUrl}/v1.0/oauth2/${corpId}/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const good = { client_id: CORP_A.appKey, client_secret: CORP_A.appSecret, grant_type: 'client_credentials' };

  it("issues a token in the app's own organisation", async () => {
    const answer = await post(CORP_A.corpId, good);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ access_token: expect.any(String), expires_in: 7200 });
  });

  it('401 unauthorized.client for another organisation, 400 invalid.client for a wrong secret, 400 unsupported.grant.type', async () => {
    expect(await post(CORP_B.corpId, good)).toMatchObject({ status: 401, body: { code: 'unauthorized.client' } });
    expect(await post(CORP_A.corpId, { ...good, client_secret: 'x'.repeat(64) })).toMatchObject({ status: 400, body: { code: 'invalid.client' } });
    expect(await post(CORP_A.corpId, { ...good, grant_type: 'password' })).toMatchObject({ status: 400, body: { code: 'unsupported.grant.type' } });
    expect(sim.counters()['oauth2/corpToken']).toBe(4);
  });
});
