/**
 * The checks that call DingTalk: the credentials (a fresh app token), one call per permission the
 * instance's features need, and what those calls say about the IP whitelist. Each API is called once,
 * with arguments that cannot match anything: "no such member" (60121 / 33012) proves the permission
 * is there, 60011 names the one missing, 60020 names the address DingTalk saw.
 */
import { isJitError } from '../../runtime';
import type { DDInnerClientApi } from '../client/types';
import type { DoctorCheck } from './types';

/** A userid / unionId no organisation has: DingTalk answers "no such member" when the permission is there. */
export const NO_SUCH_ID = 'jit-doctor-no-such-member';

/** One permission probe: the API, what it is needed for, and the call. */
export interface PermissionProbe {
  api: string;
  neededFor: string;
  call: (client: DDInnerClientApi) => Promise<unknown>;
}

export const LOGIN_PROBES: PermissionProbe[] = [
  { api: 'topapi/v2/user/get', neededFor: "reading the member's details at login", call: (c) => c.getMember(NO_SUCH_ID) },
  { api: 'topapi/user/getbyunionid', neededFor: 'finding the member behind a QR login', call: (c) => c.getUserIdByUnionId(NO_SUCH_ID) },
];

export const SYNC_PROBES: PermissionProbe[] = [
  { api: 'topapi/v2/department/listsub', neededFor: 'syncing the departments', call: (c) => c.listSubDepartments(1) },
  { api: 'topapi/v2/department/get', neededFor: 'reading the root department', call: (c) => c.getDepartment(1) },
  { api: 'topapi/v2/user/list', neededFor: 'syncing the members', call: (c) => c.listDepartmentMembers(1, 0, 1) },
];

interface Failure {
  reason: string;
  message: string;
  details: Record<string, unknown>;
}

function failureOf(error: unknown): Failure {
  if (isJitError(error)) {
    const details = (error.details ?? {}) as Record<string, unknown>;
    return { reason: typeof details.reason === 'string' ? details.reason : error.code, message: error.message, details };
  }
  return { reason: 'UNKNOWN', message: error instanceof Error ? error.message : String(error), details: {} };
}

/** Collects what the calls said about the IP whitelist, for the one IP check. */
export class IpWitness {
  refused = false;
  ip?: string;
  note(failure: Failure): boolean {
    if (failure.reason !== 'IP_NOT_WHITELISTED') return false;
    this.refused = true;
    if (typeof failure.details.ip === 'string') this.ip = failure.details.ip;
    return true;
  }
}

const IP_SKIPPED = 'Not checked: DingTalk refused this server\'s IP address first (see the IP whitelist check).';

export async function credentialsCheck(client: DDInnerClientApi, appKey: string, ip: IpWitness): Promise<DoctorCheck> {
  const base = { id: 'credentials', title: `App credentials (appKey ${appKey})` };
  try {
    await client.getAppAccessToken({ forceRefresh: true });
    return { ...base, status: 'ok', detail: 'DingTalk issued an app access token for the appKey and appSecret.', fix: null };
  } catch (error) {
    const failure = failureOf(error);
    if (ip.note(failure)) return { ...base, status: 'skipped', detail: IP_SKIPPED, fix: null };
    const rejected = failure.reason === 'APP_CREDENTIALS_REJECTED';
    return {
      ...base, status: 'problem',
      detail: rejected ? 'DingTalk refused the appKey / appSecret.' : `The app access token could not be fetched: ${failure.message}`,
      fix: rejected
        ? 'Copy the AppKey and AppSecret from the developer console (应用开发 › 凭证与基础信息) into authConfig; keep the secret in an environment variable ({{DD_APP_SECRET}}).'
        : 'Check that this server reaches DingTalk (DINGTALK_API_URL), then run jit doctor again.',
    };
  }
}

export async function permissionCheck(client: DDInnerClientApi, probe: PermissionProbe, ip: IpWitness): Promise<DoctorCheck> {
  const base = { id: `permission:${probe.api}`, title: `Permission for ${probe.api} (${probe.neededFor})` };
  try {
    await probe.call(client);
    return { ...base, status: 'ok', detail: 'The call went through.', fix: null };
  } catch (error) {
    const failure = failureOf(error);
    if (failure.reason === 'NOT_CORP_MEMBER') return { ...base, status: 'ok', detail: 'DingTalk answered "no such member" to a made-up id: the permission is there.', fix: null };
    if (ip.note(failure)) return { ...base, status: 'skipped', detail: IP_SKIPPED, fix: null };
    if (failure.reason === 'PERMISSION_MISSING') {
      const permission = String(failure.details.permission ?? 'unknown');
      return {
        ...base, status: 'problem',
        detail: `The app lacks the permission ${permission}.`,
        fix: `In the developer console, open the app's 权限管理 (permissions), apply for ${permission} and wait for it to be granted.`,
      };
    }
    return { ...base, status: 'problem', detail: failure.message, fix: 'See the message; run jit doctor again once it is fixed.' };
  }
}

export function ipWhitelistCheck(ip: IpWitness, anyCallMade: boolean): DoctorCheck {
  const base = { id: 'ipWhitelist', title: 'IP whitelist (服务器出口IP)' };
  if (ip.refused) {
    return {
      ...base, status: 'problem',
      detail: ip.ip ? `DingTalk refused calls from ${ip.ip}, which is not in the app's IP whitelist.` : "DingTalk refused this server's IP address (not in the app's IP whitelist); it did not name the address.",
      fix: ip.ip
        ? `Add ${ip.ip} to the app's server egress IP whitelist (开发管理 › 服务器出口IP) in the developer console.`
        : "Add this server's public egress IP to the app's server egress IP whitelist (开发管理 › 服务器出口IP) in the developer console.",
    };
  }
  if (!anyCallMade) return { ...base, status: 'skipped', detail: 'No DingTalk API call went through to tell.', fix: null };
  return { ...base, status: 'ok', detail: "DingTalk accepted this server's calls.", fix: null };
}
