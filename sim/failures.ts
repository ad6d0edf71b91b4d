/**
 * DingTalk's two error families (dingtalk-api.md §7), as exceptions route handlers throw:
 * - oapi: HTTP 200 with `{errcode, errmsg, request_id}`;
 * - v1.0: HTTP 4xx/5xx with `{code, message, requestid}` (and headers x-acs-request-id, x-acs-trace-id).
 * Messages follow DingTalk's own wording (mostly Chinese) so logs look like production.
 */

/** Where DingTalk sends people to apply for a permission; both families cite it. */
const PERMISSION_APPLY_URL = 'https://open.dingtalk.com/document/orgapp-server/add-api-permission';

export const OAPI_MESSAGES: Readonly<Record<number, string>> = {
  [-1]: '系统繁忙',
  40014: '不合法的access_token',
  40035: '不合法的参数',
  40078: '不存在的临时授权码',
  40089: '不合法的corpId或corpSecret',
  41026: '缺少code参数',
  42001: 'access_token超时',
  43004: '无效的HTTP HEADER Content-Type',
  60003: '部门不存在',
  60011: '没有调用该接口的权限',
  60121: '找不到该用户',
  90018: '当前应用调用该接口的并发量已经超过系统设置的阈值，请降低调用频率',
  400002: '无效的参数',
};

export class OapiFailure extends Error {
  constructor(readonly errcode: number, readonly errmsg: string = OAPI_MESSAGES[errcode] ?? 'error') {
    super(`oapi ${errcode}: ${errmsg}`);
  }
}

export class V1Failure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra body fields DingTalk adds to some errors (e.g. `accessdenieddetail`). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** 60011, naming the missing permission code the way DingTalk's console link does. */
export function oapiPermissionDenied(permission: string): OapiFailure {
  return new OapiFailure(60011, `应用尚未开通所需的权限：[${permission}]，接口权限申请参考：${PERMISSION_APPLY_URL}`);
}

/** 403 AccessTokenPermissionDenied; DingTalk lists the missing scope in `accessdenieddetail`. */
export function v1PermissionDenied(permission?: string): V1Failure {
  const message = permission
    ? `应用尚未开通所需的权限：[${permission}]，接口权限申请参考：${PERMISSION_APPLY_URL}`
    : `没有调用该接口的权限，接口权限申请参考：${PERMISSION_APPLY_URL}`;
  const extra = permission ? { accessdenieddetail: { requiredScopes: [permission] } } : {};
  return new V1Failure(403, 'Forbidden.AccessDenied.AccessTokenPermissionDenied', message, extra);
}

export const v1Failures = {
  missingBody: () => new V1Failure(400, 'Missingbody', 'body is mandatory for this action.'),
  /** Alibaba Cloud gateway convention (`Missing<param>`), as with Missingbody. */
  missingParameter: (name: string) => new V1Failure(400, `Missing${name}`, `${name} is mandatory for this action.`),
  invalidParameter: (name: string, why: string) => new V1Failure(400, 'InvalidParameter', `${name} ${why}`),
  invalidClient: () => new V1Failure(400, 'invalidClientIdOrSecret', '无效的clientId或者clientSecret'),
  invalidCode: () => new V1Failure(400, 'invalidCode', '无效的授权码'),
  invalidAuthentication: () => new V1Failure(400, 'InvalidAuthentication', '不合法的access_token'),
  notFound: () => new V1Failure(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.'),
  unknownError: () => new V1Failure(500, 'unknownError', '未知错误'),
  qpsLimit: () => new V1Failure(403, 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', '当前应用调用该接口的QPS超过了限制，请降低调用频率'),
  payloadTooLarge: () => new V1Failure(413, 'PayloadTooLarge', 'request body is too large'),
};
