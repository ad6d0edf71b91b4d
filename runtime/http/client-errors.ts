/**
 * Requests Node's HTTP parser refuses before fastify ever sees them (a malformed request line or
 * header, headers over Node's 16 KiB limit such as a huge query string or cookie, a request that
 * never finishes arriving, bytes after a body whose Content-Length lied) are answered like every
 * other failure: the JSON envelope with a stable code and the base security headers, then the
 * connection is closed. fastify's default answer has neither.
 */
import { STATUS_CODES } from 'http';
import type { Duplex } from 'stream';
import { JitError } from '../errors';
import { describeFailure } from './envelope';
import { BASE_SECURITY_HEADERS } from './security-headers';

export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  // A reset connection has no one left to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, body } = describeFailure(clientErrorOf(err));
  if (socket.writable) {
    const text = JSON.stringify(body);
    const headers = {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
      'cache-control': 'no-store',
      ...BASE_SECURITY_HEADERS,
      connection: 'close',
    };
    const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head}\r\n${text}`);
  }
  socket.destroy();
}

function clientErrorOf(err: Error & { code?: string }): JitError {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new JitError('HEADERS_TOO_LARGE', 'The address or the headers (cookies) of the request are larger than 16 KiB.');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new JitError('REQUEST_TIMEOUT');
    default:
      return new JitError('BAD_REQUEST', 'The request is not valid HTTP.');
  }
}
