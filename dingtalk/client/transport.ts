/**
 * One HTTP exchange with DingTalk, over keep-alive agents shared by every client in the process.
 * Never throws: a timeout or a connection error comes back as a transport failure, so the retry
 * and error layers see every outcome as data. Status codes are not judged here (validateStatus).
 */
import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance } from 'axios';

/**
 * Bounds the sockets per DingTalk host. DingTalk throttles each API at 20 QPS per app anyway, so a
 * larger burst only queues on their side; here it queues in the agent without costing descriptors.
 */
const MAX_SOCKETS_PER_HOST = 64;

let shared: AxiosInstance | undefined;

/** The process-wide axios instance (created on first use, so importing the client opens nothing). */
function sharedAxios(): AxiosInstance {
  shared ??= axios.create({
    httpAgent: new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS_PER_HOST }),
    httpsAgent: new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS_PER_HOST }),
    // Classify every status ourselves: oapi errors arrive as HTTP 200, v1.0 errors as 4xx/5xx.
    validateStatus: () => true,
    // DingTalk's APIs never redirect; following one could carry the token to another host.
    maxRedirects: 0,
    // Direct connections only: axios would send an https request to an HTTP(S)_PROXY from the
    // environment in the clear, token included, rather than tunnel it.
    proxy: false,
    headers: { Accept: 'application/json' },
  });
  return shared;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  /** Base URL of the host, without a trailing slash. */
  baseUrl: string;
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Sent as JSON (both API families accept JSON; v1.0 requires it). */
  body?: unknown;
  timeoutMs: number;
}

export type HttpOutcome =
  | { kind: 'response'; status: number; data: unknown }
  | { kind: 'transport'; reason: 'timeout' | 'connection'; errorCode?: string };

export async function sendHttp(request: HttpRequest): Promise<HttpOutcome> {
  try {
    const response = await sharedAxios().request({
      method: request.method,
      url: request.baseUrl + request.path,
      params: request.query,
      headers: request.body === undefined ? request.headers : { 'Content-Type': 'application/json', ...request.headers },
      data: request.body === undefined ? undefined : JSON.stringify(request.body),
      timeout: request.timeoutMs,
    });
    return { kind: 'response', status: response.status, data: response.data };
  } catch (error) {
    // Only the error code travels on: an axios error holds the request config (URL with the token,
    // headers, a body with the appSecret), which must never reach an error object or a log line.
    const errorCode = typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : undefined;
    const timedOut = errorCode === 'ECONNABORTED' || errorCode === 'ETIMEDOUT';
    return { kind: 'transport', reason: timedOut ? 'timeout' : 'connection', errorCode };
  }
}
