/**
 * What every route of one host shares: the app, the logger, the flood limiter and the page
 * settings. Also the one place a failure is logged and answered, so no route can leak a detail.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppHandle } from '../app-types';
import type { HostContribution } from '../contributions';
import { isJitError } from '../errors';
import type { Logger } from '../logger';
import { sendFailure } from './envelope';
import type { FloodLimiter } from './flood-limit';
import type { PageOrigins } from './security-headers';

export interface HostContext {
  app: AppHandle;
  logger: Logger;
  floodLimiter: FloodLimiter;
  /** Third-party scripts the pages may load, by name (what the Types contribute; see page-needs.ts). */
  scripts: Readonly<Record<string, string>>;
  /** Their pinned integrity hashes (SRI tokens), by name (page-needs.ts). */
  scriptIntegrity: Readonly<Record<string, string>>;
  origins: PageOrigins;
  /** Each contributing Type's sign-in page scripts, by name (page-needs.ts). */
  loginScriptNames: ReadonlyMap<HostContribution, readonly string[]>;
}

/**
 * Logs what a client must not see (anything but a JitError below 500 is logged with its detail)
 * and answers with the envelope.
 */
export function replyWithError(ctx: HostContext, request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  if (!isJitError(err) || err.status >= 500) {
    ctx.logger.error('request failed', {
      reqId: request.id,
      err,
      stack: err instanceof Error ? err.stack : undefined,
    });
  }
  return sendFailure(reply, err);
}
