/**
 * No secret leaves the client: the appSecret, app tokens, user tokens and token-bearing URLs never
 * appear in a log line or an error, whichever path a call takes (success, retry, refusal, revoked token,
 * bad credentials, unreachable host). The logger here does not redact: it stores what the client wrote.
 */
import { DDInnerClient } from '../../dingtalk/client';
import { CORP_A, captureLogger, clientFor, closedPortUrl, hostsOf, realCodeOf, rejectionOf } from './helpers';
import { useSimulator } from '../helpers/simulator';

const sim = useSimulator();


test('logs and errors carry no secret, token or access_token= URL', async () => {
  const { logger, lines } = captureLogger();
  const { client } = clientFor(sim, { logger });
  const errors: Error[] = [];
  const secrets: string[] = [CORP_A.appSecret];

  // Successes, a QR login with its user tokens, and a retried call.
  secrets.push(await client.getAppAccessToken());
  const userToken = await client.getUserAccessToken(sim.mintQrCode(CORP_A.appKey, 'S02kgVDIp4tlQI58g5TlsjiE', { corpId: CORP_A.corpId }));
  secrets.push(userToken.accessToken, userToken.refreshToken);
  await client.getCurrentUser(userToken.accessToken);
  sim.injectFault({ kind: 'busy', count: 1, endpoints: ['topapi/v2/user/get'] });
  await client.getMember('lisi');

  // A revoked app token: dropped, refetched, retried.
  sim.revokeTokens();
  await client.getMember('lisi');
  secrets.push(await client.getAppAccessToken());

  // Refusals and failures of every family.
  errors.push(await rejectionOf(client.getCurrentUser(userToken.accessToken))); // revoked user token
  errors.push(await rejectionOf(client.getUserInfoByWorkbenchCode('used-or-unknown')));
  errors.push(await rejectionOf(client.getUserIdByUnionId('CsjOGK3rHLYjSl9oh5T4OXiE')));
  sim.injectFault({ kind: 'qps', endpoints: ['topapi/v2/user/list'] });
  errors.push(await rejectionOf(client.listDepartmentMembers(1, 0, 10)));
  sim.clearFaults();
  const wrong = new DDInnerClient({ credentials: { appKey: CORP_A.appKey, appSecret: 'wrong-secret-wrong-secret-wrong-secret' }, hosts: hostsOf(sim), logger });
  secrets.push('wrong-secret-wrong-secret-wrong-secret');
  errors.push(await rejectionOf(wrong.getMember('lisi')));
  const url = await closedPortUrl();
  const offline = clientFor(sim, { logger, hosts: { oapiUrl: url, apiUrl: url, loginUrl: url }, retry: { maxAttempts: 1 } }).client;
  errors.push(await rejectionOf(offline.getAppAccessToken()));

  // The text an error can end up in: message, stack, JSON (a host's response body).
  const errorTexts = errors.map((e) => [e.message, e.stack ?? '', JSON.stringify(e)].join('\n'));
  const everything = [...lines, ...errorTexts].join('\n');
  for (const secret of secrets) expect(everything).not.toContain(secret);
  expect(everything).not.toMatch(/access_token=/i);

  // The log is not empty: one debug line per exchange, with the call, status, time and attempt.
  const calls = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'dingtalk call');
  expect(calls.length).toBeGreaterThanOrEqual(12);
  expect(calls[0]).toMatchObject({ level: 'debug', call: 'oauth2/accessToken', path: '/v1.0/oauth2/accessToken', status: 200, attempt: 1, ms: expect.any(Number) });
  expect(calls).toContainEqual(expect.objectContaining({ call: 'topapi/v2/user/get', errcode: -1, attempt: 1 }));
  expect(calls).toContainEqual(expect.objectContaining({ call: 'topapi/v2/user/get', status: 200, attempt: 2 }));
  expect(calls.some((l) => l.call === 'topapi/v2/user/get' && realCodeOf(l) === 40014)).toBe(true);
});
