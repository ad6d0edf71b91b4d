/**
 * A stand-in for a company's mirror of DingTalk's CDN (or a CDN that was tampered with): a plain
 * node:http server answering the script paths of dingtalk/page-scripts.ts with whatever a
 * test gives it, with or without the CORS header a pinned script needs. Records each request.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptMirror {
  url: string;
  /** The paths requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

export interface ScriptMirrorOptions {
  /** Path -> JavaScript served there; any other path is 404. */
  files: Record<string, string>;
  /** Send `Access-Control-Allow-Origin: *` (default true). */
  cors?: boolean;
}

export async function startScriptMirror(options: ScriptMirrorOptions): Promise<ScriptMirror> {
  const requests: string[] = [];
  const cors = options.cors ?? true;
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://mirror.local').pathname;
    requests.push(pathname);
    const body = options.files[pathname];
    const headers: Record<string, string> = cors ? { 'access-control-allow-origin': '*' } : {};
    if (body === undefined) {
      res.writeHead(404, { ...headers, 'content-type': 'text/plain' });
      return void res.end('not found');
    }
    res.writeHead(200, { ...headers, 'content-type': 'application/javascript; charset=utf-8', 'cache-control': 'no-cache' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
