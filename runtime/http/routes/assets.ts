/**
 * Static files of the pages: the host's own (`/assets/jit/<file>` from runtime/http/pages/assets)
 * and each login Type's panel script (`/assets/elements/<Type fullName>/<frontendBundleEntry>`).
 * Only those exact files are served: a panel URL must match its Type's declared entry, so no other
 * file of an element folder is reachable. Read per request, so a hot reload serves the new panel.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { sendError } from '../envelope';
import type { HostContext } from '../host-context';
import { frontendEntryOf } from '../pages/login-instances';

export const HOST_ASSETS_DIR = path.join(__dirname, '..', 'pages', 'assets');

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export function registerAssetRoutes(fastify: FastifyInstance, ctx: HostContext): void {
  fastify.get('/assets/jit/:file', async (request, reply) => {
    const { file } = request.params as { file: string };
    if (!/^[a-z0-9][a-z0-9.-]*\.(js|css|png|svg)$/.test(file)) return sendError(reply, 'NOT_FOUND', 'No such file.');
    return sendFile(reply, path.join(HOST_ASSETS_DIR, file));
  });

  fastify.get('/assets/elements/:type/*', async (request, reply) => {
    const { type, '*': entry } = request.params as { type: string; '*': string };
    const definition = ctx.app.getDefinition(type);
    const declared = definition && definition.valid ? frontendEntryOf(definition) : null;
    if (!definition || !declared || declared !== entry) return sendError(reply, 'NOT_FOUND', 'No such file.');
    return sendFile(reply, path.resolve(definition.dir, declared));
  });
}

async function sendFile(reply: FastifyReply, file: string): Promise<FastifyReply> {
  const type = CONTENT_TYPES[path.extname(file)];
  let content: Buffer;
  try {
    content = await fs.readFile(file);
  } catch {
    return sendError(reply, 'NOT_FOUND', 'No such file.');
  }
  return reply
    .header('content-type', type ?? 'application/octet-stream')
    .header('cache-control', 'no-cache')
    .send(content);
}
