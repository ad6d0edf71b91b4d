/**
 * Applies the host's login rate limit to one request. When the client address is over its limit it
 * sets Retry-After and returns the RATE_LIMITED error for the caller to answer with (JSON for the
 * API, a page for the redirect callback).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { JitError } from '../errors';
import type { HostContext } from './host-context';

export function checkLoginRateLimit(ctx: HostContext, request: FastifyRequest, reply: FastifyReply): JitError | null {
  const decision = ctx.rateLimiter.take(request.ip);
  if (decision.allowed) return null;
  reply.header('retry-after', String(decision.retryAfterSeconds));
  return new JitError('RATE_LIMITED', `Too many sign-in attempts from this address. Try again in ${decision.retryAfterSeconds} seconds.`);
}
