/**
 * The uniform JSON envelope of every API answer: `{success: true, data}` or
 * `{success: false, error: {code, message}}` with the error's HTTP status. Bodies are serialised
 * here, once, and passed through the secret redactor as a last line of defence.
 */
import type { FastifyReply } from 'fastify';
import { ERROR_CODES, isJitError, JitError, type ErrorCode } from '../errors';
import { redactSecrets } from '../secrets';

export interface SuccessEnvelope<T = unknown> {
  success: true;
  data: T;
}

export interface FailureEnvelope {
  success: false;
  /** A registered code (`app.errorCodes.lookup(code)` says who owns it and what it means). */
  error: { code: string; message: string };
}

/** The status and public body for any thrown value. Only a JitError's own message reaches a client. */
export function describeFailure(err: unknown): { status: number; body: FailureEnvelope } {
  if (isJitError(err)) {
    return { status: err.status, body: { success: false, error: { code: err.code, message: err.message } } };
  }
  return {
    status: 500,
    body: { success: false, error: { code: 'INTERNAL_ERROR', message: ERROR_CODES.INTERNAL_ERROR.summary } },
  };
}

export function sendData(reply: FastifyReply, data: unknown, status = 200): FastifyReply {
  const body: SuccessEnvelope = { success: true, data: data === undefined ? null : data };
  return sendJson(reply, status, body);
}

export function sendFailure(reply: FastifyReply, err: unknown): FastifyReply {
  const { status, body } = describeFailure(err);
  setRetryAfter(reply, err);
  return sendJson(reply, status, body);
}

/**
 * Whole seconds a refused caller should wait, from a JitError's `details.retryAfter` (seconds):
 * the flood limit's RATE_LIMITED, DingTalk's DINGTALK_RATE_LIMITED when its budget queue is full.
 */
export function retryAfterOf(err: unknown): number | null {
  if (!isJitError(err)) return null;
  const value = err.details.retryAfter;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.max(1, Math.ceil(value)) : null;
}

/** Adds `Retry-After` for an error that says when to come back. */
export function setRetryAfter(reply: FastifyReply, err: unknown): void {
  const seconds = retryAfterOf(err);
  if (seconds !== null) reply.header('retry-after', String(seconds));
}

/** A failure built from a code, for the host's own errors (bad request, not found, ...). */
export function sendError(reply: FastifyReply, code: ErrorCode, message?: string): FastifyReply {
  return sendFailure(reply, new JitError(code, message));
}

/** Writes a JSON body that no cache may keep (API answers can carry a person's data). */
export function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'application/json; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(redactSecrets(JSON.stringify(body)));
}
