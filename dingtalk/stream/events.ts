/**
 * The events a Stream client hands to its handler: one object per EVENT frame, built from the frame's
 * headers and its parsed `data` (docs/dingtalk-facts.md §12), with the address-book (通讯录) payloads of an
 * internal app typed as the docs print them (§3). Ids only: details are read through the normal APIs.
 *
 * Parsing is lenient where DingTalk might vary (an id list sent as a single value, numbers as strings,
 * timestamps as numbers) and strict where nothing could be applied (a contact event with no ids):
 * such an event is a MalformedEventError, which the client acks SUCCESS and reports, since pushing it
 * again would not mend it.
 */

/** `user_modify_org`'s before/after view of a member (only fields that exist, camelCase). */
export interface UserDiffSnapshot {
  name?: string;
  email?: string;
  telephone?: string;
  jobNumber?: string;
  workPlace?: string;
  remark?: string;
  extFields?: string;
  managerUserid?: string;
  /** A date such as "2016-03-01" in the doc's sample. */
  hiredDate?: string;
  [field: string]: string | undefined;
}

export interface UserIdsData {
  /** Unix ms, as a string. */
  timeStamp?: string;
  userId: string[];
}

export interface DeptIdsData {
  deptId: number[];
}

/** The `data` of each contact event an internal app can subscribe to (docs/dingtalk-facts.md §12). */
export interface ContactEventData {
  user_add_org: UserIdsData;
  user_modify_org: UserIdsData & { diffInfo?: { userid?: string; prev: UserDiffSnapshot; curr: UserDiffSnapshot } };
  user_leave_org: UserIdsData;
  /** Carries userId only. */
  user_active_org: { userId: string[] };
  org_admin_add: UserIdsData;
  org_admin_remove: UserIdsData;
  org_dept_create: DeptIdsData;
  org_dept_modify: DeptIdsData;
  org_dept_remove: DeptIdsData;
  label_user_change: { userIdList: string[]; action: string; labelIdList: number[] };
  org_change: Record<string, unknown>;
}

export type ContactEventType = keyof ContactEventData;

export const CONTACT_EVENT_TYPES: readonly ContactEventType[] = Object.freeze([
  'user_add_org', 'user_modify_org', 'user_leave_org', 'user_active_org', 'org_admin_add', 'org_admin_remove',
  'org_dept_create', 'org_dept_modify', 'org_dept_remove', 'label_user_change', 'org_change',
]);

interface StreamEventBase {
  eventId: string;
  /** When the change happened (Unix ms). */
  eventBornTime: number;
  /** The organisation it belongs to (`eventCorpId`). */
  corpId: string;
  /** The app's unified app id (`eventUnifiedAppId`). */
  unifiedAppId: string;
}

/** A contact event: `kind: 'contact'` narrows `eventType`, which then narrows `data`. */
export type ContactEvent = { [K in ContactEventType]: StreamEventBase & { kind: 'contact'; eventType: K; data: ContactEventData[K] } }[ContactEventType];

/** Any other event the app is subscribed to, untyped. */
export interface OtherStreamEvent extends StreamEventBase {
  kind: 'other';
  eventType: string;
  data: Record<string, unknown>;
}

export type StreamEvent = ContactEvent | OtherStreamEvent;

/** An EVENT frame that can never be applied (missing headers, no JSON, a contact event without ids). */
export class MalformedEventError extends Error {
  override readonly name = 'MalformedEventError';
  constructor(
    message: string,
    readonly eventId?: string,
    readonly eventType?: string,
  ) {
    super(message);
  }
}

/** Builds the event from a frame's headers and data string; throws MalformedEventError. */
export function toStreamEvent(headers: Record<string, string>, dataText: string): StreamEvent {
  const { eventId, eventType } = headers;
  const fail = (why: string) => new MalformedEventError(why, eventId || undefined, eventType || undefined);
  if (!eventId) throw fail('the EVENT frame has no eventId header');
  if (!eventType) throw fail('the EVENT frame has no eventType header');
  let data: unknown;
  try {
    data = JSON.parse(dataText);
  } catch {
    throw fail(`the data of ${eventType} is not JSON`);
  }
  if (!isObject(data)) throw fail(`the data of ${eventType} is not a JSON object`);
  const base: StreamEventBase = {
    eventId,
    eventBornTime: toInt(headers.eventBornTime) ?? toInt(headers.time) ?? 0,
    corpId: headers.eventCorpId ?? '',
    unifiedAppId: headers.eventUnifiedAppId ?? '',
  };
  if (!(CONTACT_EVENT_TYPES as readonly string[]).includes(eventType)) return { ...base, kind: 'other', eventType, data };
  const type = eventType as ContactEventType;
  const parsed = parseContactData(type, data);
  if (typeof parsed === 'string') throw fail(`${eventType}: ${parsed}`);
  return { ...base, kind: 'contact', eventType: type, data: parsed } as ContactEvent;
}

/** The typed data, or what is wrong with it. */
function parseContactData(type: ContactEventType, data: Record<string, unknown>): ContactEventData[ContactEventType] | string {
  switch (type) {
    case 'user_add_org':
    case 'user_leave_org':
    case 'org_admin_add':
    case 'org_admin_remove':
      return userIds(data);
    case 'user_active_org': {
      const ids = stringList(data.userId);
      return ids ? { userId: ids } : 'data.userId: expected a list of userids';
    }
    case 'user_modify_org': {
      const result = userIds(data);
      if (typeof result === 'string') return result;
      const diff = data.diffInfo;
      if (!isObject(diff)) return result;
      return {
        ...result,
        diffInfo: {
          ...(typeof diff.userid === 'string' ? { userid: diff.userid } : {}),
          prev: snapshot(diff.prev),
          curr: snapshot(diff.curr),
        },
      };
    }
    case 'org_dept_create':
    case 'org_dept_modify':
    case 'org_dept_remove': {
      const ids = numberList(data.deptId);
      return ids ? { deptId: ids } : 'data.deptId: expected a list of department ids';
    }
    case 'label_user_change': {
      const users = stringList(data.userIdList);
      const labels = numberList(data.labelIdList) ?? [];
      if (!users) return 'data.userIdList: expected a list of userids';
      return { userIdList: users, action: typeof data.action === 'string' ? data.action : '', labelIdList: labels };
    }
    case 'org_change':
      return data;
  }
}

function userIds(data: Record<string, unknown>): UserIdsData | string {
  const ids = stringList(data.userId);
  if (!ids) return 'data.userId: expected a list of userids';
  const stamp = typeof data.timeStamp === 'number' ? String(data.timeStamp) : typeof data.timeStamp === 'string' ? data.timeStamp : undefined;
  return stamp === undefined ? { userId: ids } : { timeStamp: stamp, userId: ids };
}

/** A list of non-empty strings; a single string counts as a list of one. */
function stringList(value: unknown): string[] | undefined {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? [value] : undefined;
  if (!list || list.length === 0) return undefined;
  return list.every((v) => typeof v === 'string' && v !== '') ? (list as string[]) : undefined;
}

/** A list of positive integers (numbers or numeric strings); a single value counts as a list of one. */
function numberList(value: unknown): number[] | undefined {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? undefined : [value];
  if (!list || list.length === 0) return undefined;
  const ids = list.map(toInt);
  return ids.every((id): id is number => id !== undefined && id > 0) ? ids : undefined;
}

function snapshot(value: unknown): UserDiffSnapshot {
  if (!isObject(value)) return {};
  const out: UserDiffSnapshot = {};
  for (const [field, v] of Object.entries(value)) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[field] = String(v);
  return out;
}

function toInt(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isSafeInteger(n) ? n : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
