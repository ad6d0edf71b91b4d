/**
 * fastify's own errors (body parsing, limits, bad URLs) as the host's stable codes, with messages
 * that tell the caller what to send instead.
 */
import { JitError } from '../errors';

export function fromFastifyError(err: unknown, bodyLimit: number): unknown {
  if (!err || typeof err !== 'object') return err;
  const { code, statusCode } = err as { code?: unknown; statusCode?: unknown };
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new JitError('PAYLOAD_TOO_LARGE', `The request body is larger than ${Math.floor(bodyLimit / 1024)} KiB.`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new JitError('BAD_REQUEST', 'Send a JSON object with Content-Type: application/json.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new JitError('BAD_REQUEST', 'The body is not valid JSON (or uses a forbidden key such as __proto__).');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new JitError('BAD_REQUEST', 'The Content-Length header does not match the body.');
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new JitError('BAD_REQUEST', 'The address is malformed.');
  }
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return statusCode === 413 ? new JitError('PAYLOAD_TOO_LARGE') : new JitError('BAD_REQUEST', 'The request is malformed.');
  }
  return err;
}
