/**
 * Lenient reading of DingTalk response bodies, in one place. The docs' samples show numbers, booleans
 * and arrays as strings ("hired_date":"1597573616828", "active":"true", "dept_id_list":"[2,3,4]") while
 * the type tables and SDKs say typed JSON (docs/dingtalk-facts.md §5, §11.6): accept both. Optional fields are
 * omitted by DingTalk when empty or not permitted, and are omitted from our results too (never null).
 * Only the identity fields a caller cannot do without are required; their absence is an UnexpectedBody.
 */
import type { DDCurrentUser, DDDepartment, DDDepartmentDetail, DDMember, DDMemberPage, DDUserToken, DDWorkbenchUserInfo } from './types';

/** A success body that lacks a field the call cannot do without. */
export class UnexpectedBody extends Error {
  override readonly name = 'UnexpectedBody';
  constructor(readonly field: string) {
    super(`the response has no usable ${field}`);
  }
}

type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON document sent as a string ("[2,3,4]", "{...}"); anything else comes back unchanged. */
function unwrapJsonString(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (!trimmed.startsWith('[') && !trimmed.startsWith('{')) return value;
  try {
    return JSON.parse(trimmed);
  } catch {
    return value;
  }
}

export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

export function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 1 || value === '1') return true;
  if (value === 'false' || value === 0 || value === '0') return false;
  return undefined;
}

/** Strings as they are; numbers as their decimal text (an id may arrive unquoted); empty = absent. */
export function toText(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function toNumberList(value: unknown): number[] | undefined {
  const unwrapped = unwrapJsonString(value);
  const items = Array.isArray(unwrapped) ? unwrapped
    : typeof unwrapped === 'string' ? unwrapped.split(',')
    : typeof unwrapped === 'number' ? [unwrapped]
    : undefined;
  if (!items) return undefined;
  return items.map(toNumber).filter((n): n is number => n !== undefined);
}

/** A list that may arrive as a JSON string or, per the docs' samples, as a single object. */
function toObjectList(value: unknown): Json[] | undefined {
  const unwrapped = unwrapJsonString(value);
  if (Array.isArray(unwrapped)) return unwrapped.filter(isObject);
  if (isObject(unwrapped)) return [unwrapped];
  return undefined;
}

function toObject(value: unknown): Json | undefined {
  const unwrapped = unwrapJsonString(value);
  return isObject(unwrapped) ? unwrapped : undefined;
}

/** Copies the defined values only, so absent fields stay absent. */
function defined<T extends object>(record: T): T {
  for (const key of Object.keys(record) as Array<keyof T>) {
    if (record[key] === undefined) delete record[key];
  }
  return record;
}

function requiredText(source: Json, key: string, path: string): string {
  const value = toText(source[key]);
  if (value === undefined) throw new UnexpectedBody(path);
  return value;
}

function requiredNumber(source: Json, key: string, path: string): number {
  const value = toNumber(source[key]);
  if (value === undefined) throw new UnexpectedBody(path);
  return value;
}

/** The `result` object of a topapi response. */
function oapiResult(body: unknown): Json {
  const result = isObject(body) ? toObject(body.result) : undefined;
  if (!result) throw new UnexpectedBody('result');
  return result;
}

function body(value: unknown): Json {
  if (!isObject(value)) throw new UnexpectedBody('JSON body');
  return value;
}

// ---- token endpoints (v1.0) ----

export interface AppTokenBody {
  accessToken: string;
  /** Seconds. */
  expireIn: number;
}

export function parseAppToken(value: unknown): AppTokenBody {
  const json = body(value);
  return { accessToken: requiredText(json, 'accessToken', 'accessToken'), expireIn: requiredNumber(json, 'expireIn', 'expireIn') };
}

export function parseUserToken(value: unknown): DDUserToken {
  const json = body(value);
  return defined<DDUserToken>({
    accessToken: requiredText(json, 'accessToken', 'accessToken'),
    refreshToken: toText(json.refreshToken) ?? '',
    expireIn: requiredNumber(json, 'expireIn', 'expireIn'),
    corpId: toText(json.corpId),
  });
}

// ---- people ----

export function parseCurrentUser(value: unknown): DDCurrentUser {
  const json = body(value);
  return defined<DDCurrentUser>({
    nick: toText(json.nick) ?? '',
    unionId: requiredText(json, 'unionId', 'unionId'),
    openId: toText(json.openId) ?? '',
    avatarUrl: toText(json.avatarUrl),
    mobile: toText(json.mobile),
    email: toText(json.email),
    stateCode: toText(json.stateCode),
  });
}

export function parseUserIdByUnionId(value: unknown): string {
  return requiredText(oapiResult(value), 'userid', 'result.userid');
}

export function parseWorkbenchUserInfo(value: unknown): DDWorkbenchUserInfo {
  const result = oapiResult(value);
  return defined<DDWorkbenchUserInfo>({
    userid: requiredText(result, 'userid', 'result.userid'),
    unionid: requiredText(result, 'unionid', 'result.unionid'),
    name: toText(result.name) ?? '',
    device_id: toText(result.device_id),
    sys: toBoolean(result.sys),
    sys_level: toNumber(result.sys_level),
    associated_unionid: toText(result.associated_unionid),
  });
}

/** One member record: `result` of topapi/v2/user/get, or an item of topapi/v2/user/list. */
function memberFrom(source: Json, path: string): DDMember {
  return defined<DDMember>({
    userid: requiredText(source, 'userid', `${path}.userid`),
    unionid: requiredText(source, 'unionid', `${path}.unionid`),
    name: toText(source.name) ?? '',
    avatar: toText(source.avatar),
    state_code: toText(source.state_code),
    mobile: toText(source.mobile),
    telephone: toText(source.telephone),
    job_number: toText(source.job_number),
    title: toText(source.title),
    email: toText(source.email),
    org_email: toText(source.org_email),
    work_place: toText(source.work_place),
    remark: toText(source.remark),
    hired_date: toNumber(source.hired_date),
    active: toBoolean(source.active),
    admin: toBoolean(source.admin),
    boss: toBoolean(source.boss),
    dept_id_list: toNumberList(source.dept_id_list),
  });
}

export function parseMember(value: unknown): DDMember {
  return memberFrom(oapiResult(value), 'result');
}

export function parseMemberPage(value: unknown): DDMemberPage {
  const result = oapiResult(value);
  const hasMore = toBoolean(result.has_more) ?? false;
  // DingTalk may send a stale next_cursor on the last page; it means nothing then. Without one on
  // a page that has more, a sync could not go on (or would loop on page 0), so that is an error.
  const nextCursor = hasMore ? toNumber(result.next_cursor) : undefined;
  if (hasMore && nextCursor === undefined) throw new UnexpectedBody('result.next_cursor');
  const list = toObjectList(result.list) ?? [];
  return defined<DDMemberPage>({
    has_more: hasMore,
    next_cursor: nextCursor,
    list: list.map((item, index) => memberFrom(item, `result.list[${index}]`)),
  });
}

// ---- departments ----

export function parseDepartment(value: unknown): DDDepartmentDetail {
  const result = oapiResult(value);
  const parentId = toNumber(result.parent_id);
  return defined<DDDepartmentDetail>({
    dept_id: requiredNumber(result, 'dept_id', 'result.dept_id'),
    name: toText(result.name) ?? '',
    // The root's parent is not meaningful (docs/dingtalk-facts.md §6).
    parent_id: parentId !== undefined && parentId > 0 ? parentId : undefined,
    order: toNumber(result.order),
    member_count: toNumber(result.member_count),
  });
}

export function parseDepartments(value: unknown): DDDepartment[] {
  const json = body(value);
  // A leaf department has no children: accept an absent result as an empty list.
  const list = json.result === undefined || json.result === null ? [] : toObjectList(json.result);
  if (!list) throw new UnexpectedBody('result');
  return list.map((item, index) => defined<DDDepartment>({
    dept_id: requiredNumber(item, 'dept_id', `result[${index}].dept_id`),
    name: toText(item.name) ?? '',
    parent_id: requiredNumber(item, 'parent_id', `result[${index}].parent_id`),
    order: toNumber(item.order),
  }));
}
