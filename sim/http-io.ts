/**
 * Small node:http helpers: read and parse a request body (JSON or form-urlencoded, as topapi
 * accepts both), and write JSON, HTML, JavaScript and redirects.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';

/** DingTalk request bodies are small; anything bigger is a mistake or an attack. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface ParsedBody {
  /** What the body was: JSON object, form fields, nothing, or something unusable. */
  kind: 'json' | 'form' | 'empty' | 'invalid' | 'unsupported';
  fields: Record<string, unknown>;
}

export class BodyTooLargeError extends Error {}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError(`request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function parseBody(contentType: string | undefined, raw: Buffer): ParsedBody {
  const text = raw.toString('utf8');
  if (text.trim() === '') return { kind: 'empty', fields: {} };
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return { kind: 'form', fields: Object.fromEntries(new URLSearchParams(text)) };
  if (type === 'application/json' || type.endsWith('+json')) {
    try {
      const value = JSON.parse(text);
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? { kind: 'json', fields: value } : { kind: 'invalid', fields: {} };
    } catch {
      return { kind: 'invalid', fields: {} };
    }
  }
  return { kind: 'unsupported', fields: {} };
}

export function newRequestId(): string {
  return randomUUID().toUpperCase();
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(payload), ...headers });
  res.end(payload);
}

export function sendText(res: ServerResponse, status: number, contentType: string, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  // The pages are built for framing by any app origin (the QR frame), and carry their own inline
  // script and style only.
  sendText(res, status, 'text/html; charset=utf-8', html, { 'cache-control': 'no-store' });
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, 'content-length': 0, 'cache-control': 'no-store' });
  res.end();
}

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** JSON safe to embed in an inline <script> (no `</script>` or `<!--` breakout). */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
