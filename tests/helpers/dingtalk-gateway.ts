/**
 * A stand-in for DingTalk's API gateway, in front of the simulator, over real HTTP. It forwards every
 * request to the simulator unchanged, except that a test can:
 *   - script the answers to the next requests of a path with DingTalk's exact error shapes
 *     (docs/dingtalk-facts.md §7a: the topapi gateway's errcode 88 wrapper with `sub_code`, errcode 22, gettoken's
 *     40096; SHAPES below), which the simulator does not emit yet;
 *   - enforce a per-API QPS limit as DingTalk does (more than `n` requests of one path in any 1-second
 *     window are answered 88/90018, not queued);
 * and it records when each request arrived (and its body), so a test counts calls per second window
 * on the server side.
 *
 * When the simulator itself emits these shapes and enforces its limit, the tests can point at it directly.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DingTalkHosts } from '../../dingtalk/hosts';
import type { SimulatorHandle } from '../../sim/types';

export interface ScriptedReply {
  /** HTTP status (default 200: oapi errors arrive as HTTP 200). */
  status?: number;
  body: Record<string, unknown>;
}

export interface Arrival {
  path: string;
  /** performance.now() when the request reached the gateway. */
  at: number;
  /** The JSON body sent, if any. */
  body: Record<string, unknown> | undefined;
  /** How the gateway answered: forwarded to the simulator, scripted, or throttled by its QPS limit. */
  answer: 'forwarded' | 'scripted' | 'throttled';
}

export interface Gateway {
  readonly url: string;
  /** The DingTalk hosts a client should use to go through the gateway. */
  hosts(): DingTalkHosts;
  /** Answers the next `times` requests to `path` (e.g. '/topapi/v2/user/get') with `reply`. */
  script(path: string, reply: ScriptedReply, times?: number): void;
  /** Answers requests beyond `qps` per path in any 1-second window with 88/90018 (0: no limit). */
  enforceQps(qps: number): void;
  arrivals(path?: string): Arrival[];
  /** The most requests to `path` that arrived within any window of `windowMs` (sliding). */
  maxInWindow(path: string, windowMs?: number): number;
  reset(): void;
  close(): Promise<void>;
}

const REQUEST_ID = 'gw0123456789abcdef';

/** DingTalk's answers, shaped as docs/dingtalk-facts.md §7a records them from real DingTalk (2026-09-11). */
export const SHAPES = {
  /** A wrapped oapi error: errcode 88, the real code in `sub_code` (a string) and again in errmsg. */
  wrapped(subCode: string, subMsg: string): ScriptedReply {
    return { body: { errcode: 88, sub_code: subCode, sub_msg: subMsg, errmsg: `ding talk error[subcode=${subCode},submsg=${subMsg}]`, request_id: REQUEST_ID } };
  },
  /** A wrapper whose real code is only in errmsg (no `sub_code` field). */
  wrappedInMessageOnly(subCode: string, subMsg: string): ScriptedReply {
    return { body: { errcode: 88, errmsg: `ding talk error[subcode=${subCode},submsg=${subMsg}]`, request_id: REQUEST_ID } };
  },
  badToken: () => SHAPES.wrapped('40014', '不合法的access_token'),
  blankToken: () => SHAPES.wrapped('40000', 'access_token is blank'),
  appQps: () => SHAPES.wrapped('90018', '当前应用调用该接口的并发量已经超过系统设置的阈值，请降低调用频率'),
  globalQps: () => SHAPES.wrapped('90002', '当前接口的调用量已经超过系统设置的阈值，请降低调用频率'),
  permission: (subMsg: string) => SHAPES.wrapped('60011', subMsg),
  ipWhitelist: (subMsg: string) => SHAPES.wrapped('60020', subMsg),
  /** An unknown topapi method. */
  unknownMethod: (method: string): ScriptedReply => ({ body: { errcode: 22, sub_msg: '不合法ApiName，请检查接口名称', errmsg: `Invalid method[${method}]`, request_id: REQUEST_ID } }),
  /** gettoken's answer to a wrong appKey/appSecret, today and in the corpId era. */
  badCredentials: (): ScriptedReply => ({ body: { errcode: 40096, errmsg: '不合法的appKey或appSecret' } }),
  badCorpCredentials: (): ScriptedReply => ({ body: { errcode: 40089, errmsg: '不合法的corpId或corpSecret' } }),
  missingParameter: (): ScriptedReply => ({ body: { errcode: 40035, errmsg: '缺少参数 corpid or appkey' } }),
  /** v1.0 throttles. */
  v1QpsLimit: (): ScriptedReply => ({ status: 403, body: { code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', message: '当前应用调用该接口的QPS超过了限制', requestid: REQUEST_ID } }),
  v1QpmLimit: (): ScriptedReply => ({ status: 403, body: { code: 'Forbidden.AccessDenied.QpmLimitForAppkeyAndApi', message: '当前应用调用该接口的QPM超过了限制', requestid: REQUEST_ID } }),
  v1SystemBusy: (): ScriptedReply => ({ status: 429, body: { code: 'systemBusy', message: '系统繁忙', requestid: REQUEST_ID } }),
};

export async function startGateway(sim: SimulatorHandle): Promise<Gateway> {
  const upstream = new URL(sim.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
  let arrivals: Arrival[] = [];
  let scripts = new Map<string, ScriptedReply[]>();
  let qpsLimit = 0;

  const server = http.createServer((req, res) => {
    const at = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const path = (req.url ?? '').split('?')[0];
      const arrival: Arrival = { path, at, body: parseJson(raw.toString('utf8')), answer: 'forwarded' };
      arrivals.push(arrival);

      const scripted = scripts.get(path)?.shift();
      if (scripted) {
        arrival.answer = 'scripted';
        return sendJson(res, scripted.status ?? 200, scripted.body);
      }
      if (qpsLimit > 0 && countSince(arrivals, path, at - 1000, arrival) >= qpsLimit) {
        arrival.answer = 'throttled';
        return sendJson(res, 200, SHAPES.appQps().body);
      }
      const headers = { ...req.headers, host: upstream.host, 'content-length': String(raw.length) };
      const forward = http.request(
        { protocol: upstream.protocol, hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(raw);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    hosts: () => ({ oapiUrl: url, apiUrl: url, loginUrl: url }),
    script(path, reply, times = 1) {
      const queue = scripts.get(path) ?? [];
      for (let i = 0; i < times; i++) queue.push(reply);
      scripts.set(path, queue);
    },
    enforceQps(qps) {
      qpsLimit = qps;
    },
    arrivals: (path) => (path ? arrivals.filter((a) => a.path === path) : [...arrivals]),
    maxInWindow(path, windowMs = 1000) {
      const times = arrivals.filter((a) => a.path === path).map((a) => a.at).sort((a, b) => a - b);
      let max = 0;
      for (let start = 0, end = 0; end < times.length; end++) {
        while (times[end] - times[start] >= windowMs) start++;
        max = Math.max(max, end - start + 1);
      }
      return max;
    },
    reset() {
      arrivals = [];
      scripts = new Map();
      qpsLimit = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}

/** Requests to `path` that arrived after `since` (the one being answered excluded): DingTalk's count. */
function countSince(arrivals: Arrival[], path: string, since: number, current: Arrival): number {
  let n = 0;
  for (let i = arrivals.length - 1; i >= 0; i--) {
    const a = arrivals[i];
    if (a.at <= since) break;
    if (a !== current && a.path === path && a.answer !== 'throttled') n++;
  }
  return n;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
