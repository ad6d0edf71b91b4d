/**
 * A transparent HTTP proxy between the hosts under test and the DingTalk simulator. The hosts are
 * pointed at the tap (DINGTALK_*_URL); it forwards every exchange unchanged and records what the
 * hosts actually received: each answer classified as ok, an injected fault (HTTP 500, errcode -1,
 * 90018) or a revoked-token error, and every access/refresh token DingTalk handed out, so a test
 * can count faults independently of the simulator and grep output for the tokens.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type AnswerKind = 'ok' | 'http500' | 'busy' | 'qps' | 'tokenInvalid' | 'otherError';

export interface TapRecord {
  path: string;
  status: number;
  kind: AnswerKind;
}

export interface DingTalkTap {
  /** Base URL to give hosts as DINGTALK_OAPI_URL / _API_URL / _LOGIN_URL. */
  readonly url: string;
  /** Answers by kind since start (or the last reset). */
  counts(): Record<AnswerKind, number>;
  /** Every exchange since start (or the last reset). */
  records(): readonly TapRecord[];
  /** Every app and user token seen in answers (access and refresh tokens). */
  tokens(): ReadonlySet<string>;
  /** The env vars pointing a host at the tap. */
  env(): Record<string, string>;
  close(): Promise<void>;
}

const TOKEN_FIELDS = ['access_token', 'accessToken', 'refreshToken', 'refresh_token'];

export async function startDingTalkTap(upstreamUrl: string): Promise<DingTalkTap> {
  const upstream = new URL(upstreamUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  let records: TapRecord[] = [];
  const tokens = new Set<string>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers = { ...req.headers, host: upstream.host, 'content-length': String(body.length) };
      const forward = http.request(
        { protocol: upstream.protocol, hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (c: Buffer) => parts.push(c));
          answer.on('end', () => {
            const text = Buffer.concat(parts);
            const status = answer.statusCode ?? 0;
            const json = parseJson(text.toString('utf8'));
            records.push({ path: (req.url ?? '').split('?')[0], status, kind: classify(status, String(answer.headers['content-type'] ?? ''), json) });
            collectTokens(json, tokens);
            res.writeHead(status, answer.headers);
            res.end(text);
          });
          answer.on('error', () => res.destroy());
        },
      );
      // The simulator went away (test teardown): the host sees a reset, as with a real outage.
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    counts() {
      const counts: Record<AnswerKind, number> = { ok: 0, http500: 0, busy: 0, qps: 0, tokenInvalid: 0, otherError: 0 };
      for (const r of records) counts[r.kind] += 1;
      return counts;
    },
    records: () => records,
    tokens: () => tokens,
    env: () => ({ DINGTALK_OAPI_URL: url, DINGTALK_API_URL: url, DINGTALK_LOGIN_URL: url }),
    close: () =>
      new Promise<void>((resolve) => {
        records = [...records];
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}

/** Which of DingTalk's answers this is (docs/dingtalk-facts.md §7; the simulator's fault shapes). */
export function classify(status: number, contentType: string, json: unknown): AnswerKind {
  const body = (json && typeof json === 'object' ? json : {}) as { errcode?: unknown; code?: unknown; sub_code?: unknown };
  // The topapi gateway wraps token and throttling refusals in errcode 88 with the real code in sub_code (§7a).
  const errcode = body.errcode === 88 && typeof body.sub_code === 'string' ? Number(body.sub_code) : body.errcode;
  if (status === 500 && contentType.includes('text/html')) return 'http500';
  if (errcode === -1 || (status === 500 && body.code === 'unknownError')) return 'busy';
  if (errcode === 90018 || errcode === 90002 || (status === 403 && typeof body.code === 'string' && body.code.includes('QpsLimit'))) return 'qps';
  if (errcode === 40014 || errcode === 42001 || errcode === 40000 || body.code === 'InvalidAuthentication') return 'tokenInvalid';
  if (status === 200 && (body.errcode === undefined || body.errcode === 0)) return 'ok';
  return 'otherError';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function collectTokens(json: unknown, into: Set<string>): void {
  if (!json || typeof json !== 'object') return;
  for (const field of TOKEN_FIELDS) {
    const value = (json as Record<string, unknown>)[field];
    if (typeof value === 'string' && value.length >= 8) into.add(value);
  }
}
