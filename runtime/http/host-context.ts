/**
 * What every route of one host shares: the app, the logger, the flood limiter and the page
 * settings. Also the one place a failure is logged and answered, so no route can leak a detail.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppHandle } from '../app-types';
import { isJitError } from '../errors';
import type { Logger } from '../logger';
import { sendFailure } from './envelope';
import type { FloodLimiter } from './flood-limit';
import type { PageOrigins } from './security-headers';

/** Third-party scripts the login pages load. */
export interface PageScripts {
  /** DingTalk's QR frame script (window.DTFrameLogin). */
  ddLogin: string;
  /** The DingTalk JSAPI (window.dd.requestAuthCode) for the workbench page. */
  dingtalkJsapi: string;
}

export interface HostContext {
  app: AppHandle;
  logger: Logger;
  floodLimiter: FloodLimiter;
  scripts: PageScripts;
  /** Their pinned integrity hashes (SRI tokens), by script; see dingtalk-scripts.ts. */
  scriptIntegrity: Readonly<Partial<Record<keyof PageScripts, string>>>;
  origins: PageOrigins;
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
