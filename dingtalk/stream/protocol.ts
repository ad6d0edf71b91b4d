/**
 * The Stream wire format, client side (docs/dingtalk-facts.md §12): reading the frames DingTalk sends
 * and writing the acks it expects. Header values are strings on the wire (the SDKs parse `time` and
 * `eventBornTime` as integers); `data` is a JSON string in both directions.
 */

export const CONTENT_TYPE = 'application/json';

export interface DownstreamFrame {
  specVersion: string;
  /** SYSTEM, EVENT or CALLBACK. */
  type: string;
  headers: Record<string, string>;
  /** The payload, still a JSON string. */
  data: string;
}

/** Reads one text message; undefined when it is not a frame at all. */
export function readFrame(text: string): DownstreamFrame | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(value) || typeof value.type !== 'string' || !isObject(value.headers)) return undefined;
  const headers: Record<string, string> = {};
  // Values are strings in every sample; numbers are taken as their text so nothing is lost.
  for (const [name, v] of Object.entries(value.headers)) if (typeof v === 'string' || typeof v === 'number') headers[name] = String(v);
  const data = typeof value.data === 'string' ? value.data : value.data === undefined || value.data === null ? '' : JSON.stringify(value.data);
  return { specVersion: typeof value.specVersion === 'string' ? value.specVersion : '', type: value.type, headers, data };
}

export type EventAckStatus = 'SUCCESS' | 'LATER';

/** The ack of an EVENT frame: `data` is the JSON string of `{status, message}` (§1d). */
export function eventAck(messageId: string, status: EventAckStatus, message: string): string {
  return JSON.stringify({
    code: 200,
    headers: { messageId, contentType: CONTENT_TYPE },
    message: 'OK',
    data: JSON.stringify({ status, message }),
  });
}

/** The answer to a SYSTEM ping: code 200, the received headers and data echoed (the opaque inside) (§1e). */
export function pingAck(frame: DownstreamFrame): string {
  return JSON.stringify({
    code: 200,
    headers: { ...frame.headers, contentType: CONTENT_TYPE },
    message: 'OK',
    data: frame.data,
  });
}

/** A frame of a kind this client does not serve (a CALLBACK it never subscribed to): 404, topic not supported. */
export function notSupportedAck(frame: DownstreamFrame): string {
  return JSON.stringify({
    code: 404,
    headers: { messageId: frame.headers.messageId ?? '', contentType: CONTENT_TYPE },
    message: `topic not supported: ${frame.headers.topic ?? ''}`,
    data: JSON.stringify({ response: null }),
  });
}

/** The `reason` of a disconnect frame, if readable. */
export function disconnectReason(frame: DownstreamFrame): string {
  try {
    const value = JSON.parse(frame.data);
    return isObject(value) && typeof value.reason === 'string' ? value.reason : '';
  } catch {
    return '';
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
