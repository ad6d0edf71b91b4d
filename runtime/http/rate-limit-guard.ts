/**
 * Applies the anonymous flood limit (`limits.floodPerAddress` a minute per client address) to one
 * request to a login entry point. Over it, the RATE_LIMITED error to answer with (JSON for the
 * API, a page for the redirect callback); its `details.retryAfter` becomes the Retry-After header.
 */
import type { FastifyRequest } from 'fastify';
import { JitError } from '../errors';
import type { HostContext } from './host-context';
import { requestContextOf } from './request-scope';

export async function checkFloodLimit(ctx: HostContext, request: FastifyRequest): Promise<JitError | null> {
  const decision = await ctx.floodLimiter.take(requestContextOf(request).clientAddress);
  if (decision.allowed) return null;
  return new JitError('RATE_LIMITED', `Too many sign-in requests from this address. Try again in ${decision.retryAfterSeconds} seconds.`, {
    retryAfter: decision.retryAfterSeconds,
  });
}
