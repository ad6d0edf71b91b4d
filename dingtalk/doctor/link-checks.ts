/**
 * The checks that use the app's credentials outside the client's API calls: the corpId (DingTalk's
 * unified token endpoint `POST /v1.0/oauth2/{corpId}/token`, docs/dingtalk-facts.md §2c, issues a token only
 * for the organisation the app belongs to) and the Stream connection (register, open the WebSocket
 * once, close). Both take a slot in the app's budget, in the doctor lane.
 */
import WebSocket from 'ws';
import { isJitError } from '../../runtime';
import type { DingTalkRuntime } from '../client/dingtalk-runtime';
import { interpretResponse } from '../client/response';
import { sendHttp } from '../client/transport';
import { DEFAULT_STREAM_UA } from '../stream/StreamClient';
import { OPEN_CONNECTION_CALL, openConnection } from '../stream/gateway';
import type { DoctorCheck } from './types';

const TIMEOUT_MS = 10_000;
export const CORP_TOKEN_API = 'oauth2/corpToken';

export interface AppCredentials {
  appKey: string;
  appSecret: string;
  corpId: string;
  apiUrl: string;
  runtime: DingTalkRuntime;
}

export async function corpIdCheck(app: AppCredentials): Promise<DoctorCheck> {
  const base = { id: 'corpId', title: `corpId ${app.corpId} belongs to the app` };
  await app.runtime.slot(app.appKey, CORP_TOKEN_API, 'doctor');
  const outcome = await sendHttp({
    method: 'POST',
    baseUrl: app.apiUrl,
    path: `/v1.0/oauth2/${encodeURIComponent(app.corpId)}/token`,
    body: { client_id: app.appKey, client_secret: app.appSecret, grant_type: 'client_credentials' },
    timeoutMs: TIMEOUT_MS,
  });
  const answer = interpretResponse('v1', outcome);
  if (answer.ok) return { ...base, status: 'ok', detail: 'DingTalk issued a token for this app in this organisation.', fix: null };
  const failure = answer.failure;
  if (failure.kind === 'v1' && /^(invalid\.client|unauthorized\.client)$/i.test(failure.code)) {
    return {
      ...base, status: 'problem',
      detail: `DingTalk refused the app in organisation ${app.corpId} (${failure.code}): the corpId is not the app's organisation, or the credentials are wrong (see the credentials check).`,
      fix: "Copy the CorpId from the developer console's home page (开发者后台 首页 › CorpId) into authConfig.corpId.",
    };
  }
  const what = failure.kind === 'v1' ? `${failure.code}` : failure.kind === 'transport' ? `no answer (${failure.errorCode ?? failure.reason})` : failure.kind;
  return { ...base, status: 'problem', detail: `DingTalk did not confirm the corpId: ${what}.`, fix: 'Check that this server reaches DingTalk (DINGTALK_API_URL), then run jit doctor again.' };
}

export async function streamCheck(app: AppCredentials, why: string): Promise<DoctorCheck> {
  const base = { id: 'stream', title: `Stream connection (${why})` };
  let endpoint: string;
  let url: string;
  try {
    await app.runtime.slot(app.appKey, OPEN_CONNECTION_CALL.name, 'doctor');
    const target = await openConnection({ apiUrl: app.apiUrl, clientId: app.appKey, clientSecret: app.appSecret, ua: DEFAULT_STREAM_UA, timeoutMs: TIMEOUT_MS });
    endpoint = target.endpoint;
    url = target.url;
  } catch (error) {
    const message = isJitError(error) ? error.message : String(error);
    return {
      ...base, status: 'problem', detail: `DingTalk did not register a Stream connection: ${message}`,
      fix: 'In the developer console, turn on Stream mode for the app (事件订阅 › Stream 模式推送) and tick the address-book events.',
    };
  }
  const opened = await openOnce(url);
  if (opened === true) return { ...base, status: 'ok', detail: `Registered and opened the WebSocket at ${endpoint}, then closed it.`, fix: null };
  return {
    ...base, status: 'problem', detail: `Registered, but the WebSocket at ${endpoint} did not open: ${opened}.`,
    fix: `Let this server open outbound WebSocket (wss) connections to ${new URL(endpoint).host}.`,
  };
}

/** true when the WebSocket opened (then closed at once), else why not. Never says the ticket. */
function openOnce(url: string): Promise<true | string> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { handshakeTimeout: TIMEOUT_MS });
    socket.once('open', () => {
      socket.close(1000);
      resolve(true);
    });
    socket.once('unexpected-response', (_req, res) => {
      socket.terminate();
      resolve(`HTTP ${res.statusCode}`);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'connection failed'));
  });
}
