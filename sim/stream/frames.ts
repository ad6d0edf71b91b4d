/**
 * The Stream wire format, server side (docs/dingtalk-facts.md §12): the frames the simulator sends
 * and a strict reader of the acks clients send back. Every header value is a string and `data` is a
 * JSON *string*, exactly as DingTalk sends them.
 */
import { createHash, randomBytes } from 'node:crypto';

export const SPEC_VERSION = '1.0';
export const CONTENT_TYPE = 'application/json';

export interface DownstreamFrame {
  specVersion: typeof SPEC_VERSION;
  type: 'SYSTEM' | 'EVENT';
  headers: Record<string, string>;
  data: string;
}

export interface EventFrameInput {
  messageId: string;
  time: number;
  eventType: string;
  eventId: string;
  bornTime: number;
  corpId: string;
  unifiedAppId: string;
  data: Record<string, unknown>;
}

export function eventFrame(input: EventFrameInput): DownstreamFrame {
  return {
    specVersion: SPEC_VERSION,
    type: 'EVENT',
    headers: {
      // One official sample has `*`, another an arbitrary value (§1c); clients dispatch on eventType.
      topic: '*',
      contentType: CONTENT_TYPE,
      messageId: input.messageId,
      time: String(input.time),
      eventType: input.eventType,
      eventId: input.eventId,
      eventBornTime: String(input.bornTime),
      eventCorpId: input.corpId,
      eventUnifiedAppId: input.unifiedAppId,
    },
    data: JSON.stringify(input.data),
  };
}

export function systemFrame(topic: 'ping' | 'disconnect', messageId: string, time: number, data: Record<string, string>): DownstreamFrame {
  return {
    specVersion: SPEC_VERSION,
    type: 'SYSTEM',
    headers: { topic, contentType: CONTENT_TYPE, messageId, time: String(time) },
    data: JSON.stringify(data),
  };
}

export function newMessageId(): string {
  return randomBytes(16).toString('hex');
}

/** Event ids in DingTalk's samples are 32 hex characters. */
export function newEventId(): string {
  return randomBytes(16).toString('hex');
}

/** A stable UUID-shaped id per app, standing in for DingTalk's unified app id. */
export function unifiedAppIdOf(appKey: string): string {
  const hex = createHash('sha256').update(`unified-app:${appKey}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** An ack as the protocol page prints it: `{code, headers:{messageId, contentType}, message, data}`. */
export interface Ack {
  code: number;
  messageId: string;
  message: string;
  /** Still a JSON string; what it must hold depends on the frame acked. */
  data: string;
}

export type AckReading = { ok: true; ack: Ack } | { ok: false; problem: string };

/** Reads one client message as an ack; any departure from the documented shape is a problem. */
export function readAck(raw: string): AckReading {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, problem: 'the message is not JSON' };
  }
  if (!isObject(value)) return { ok: false, problem: 'the message is not a JSON object' };
  if (typeof value.code !== 'number' || !Number.isInteger(value.code)) return { ok: false, problem: 'code: must be an integer (200 on success)' };
  if (!isObject(value.headers)) return { ok: false, problem: 'headers: must be an object with messageId and contentType' };
  const { messageId, contentType } = value.headers;
  if (typeof messageId !== 'string' || messageId === '') return { ok: false, problem: 'headers.messageId: must echo the messageId of the frame acked' };
  if (contentType !== CONTENT_TYPE) return { ok: false, problem: `headers.contentType: must be "${CONTENT_TYPE}"` };
  if (typeof value.message !== 'string') return { ok: false, problem: 'message: must be a string (e.g. "OK")' };
  if (typeof value.data !== 'string') return { ok: false, problem: 'data: must be a JSON string' };
  return { ok: true, ack: { code: value.code, messageId, message: value.message, data: value.data } };
}

export type EventAckStatus = { ok: true; status: 'SUCCESS' | 'LATER' } | { ok: false; problem: string };

/** The `data` of an EVENT ack: a JSON string of `{"status":"SUCCESS"|"LATER","message":"..."}` (§1d). */
export function readEventAckData(data: string): EventAckStatus {
  const parsed = parseJsonObject(data);
  if (!parsed) return { ok: false, problem: 'data: must be a JSON string of an object like {"status":"SUCCESS"}' };
  if (parsed.status !== 'SUCCESS' && parsed.status !== 'LATER') return { ok: false, problem: 'data.status: must be "SUCCESS" or "LATER"' };
  if (parsed.message !== undefined && typeof parsed.message !== 'string') return { ok: false, problem: 'data.message: must be a string when present' };
  return { ok: true, status: parsed.status };
}

/** The `data` of a ping ack must carry back the same opaque (§1e). */
export function readPingAckData(data: string, opaque: string): string | undefined {
  const parsed = parseJsonObject(data);
  if (!parsed) return 'data: must be a JSON string of {"opaque": ...}';
  if (parsed.opaque !== opaque) return 'data.opaque: must echo the opaque of the ping';
  return undefined;
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
