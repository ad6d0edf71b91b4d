/**
 * DingTalk's error families (docs/dingtalk-facts.md §7), as exceptions route handlers throw:
 * - oapi business errors: HTTP 200 with `{errcode, errmsg, request_id}` (60121, 40078, 60003, 40035...);
 * - oapi gateway errors (§7a): token, throttling, permission and IP-whitelist refusals come wrapped in
 *   errcode 88 with the real code as the string `sub_code`:
 *   `{"errcode":88,"sub_code":"40014","sub_msg":"不合法的access_token","errmsg":"ding talk error[subcode=40014,submsg=不合法的access_token]","request_id":"…"}`;
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
  40096: '不合法的appKey或appSecret',
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

/** The errcode the topapi gateway wraps its own refusals in (docs/dingtalk-facts.md §7a). */
export const GATEWAY_ERRCODE = 88;

/** A refusal by the oapi gateway, before the API itself runs: errcode 88 carrying `sub_code`. */
export class GatewayFailure extends Error {
  constructor(
    /** The real code, a string, as DingTalk sends it (e.g. "40014"). */
    readonly subCode: string,
    readonly subMsg: string,
  ) {
    super(`oapi ${GATEWAY_ERRCODE}/${subCode}: ${subMsg}`);
  }

  /** The body, fields in the order of the probe in §7a. */
  body(requestId: string): Record<string, unknown> {
    return {
      errcode: GATEWAY_ERRCODE,
      sub_code: this.subCode,
      sub_msg: this.subMsg,
      errmsg: `ding talk error[subcode=${this.subCode},submsg=${this.subMsg}]`,
      request_id: requestId,
    };
  }
}

export const gatewayFailures = {
  /** An unknown, revoked or expired app token (§7c: 40014 is what DingTalk answers for expired ones too). */
  invalidToken: () => new GatewayFailure('40014', '不合法的access_token'),
  blankToken: () => new GatewayFailure('40000', 'access_token is blank'),
  /** Per app, per API (§9). */
  qpsLimit: () => new GatewayFailure('90018', '当前应用调用该接口的并发量已经超过系统设置的阈值，请降低调用频率'),
  /** Per API, all apps together (§9). */
  globalQpsLimit: () => new GatewayFailure('90002', '该接口的全局调用量已经超过系统设置的阈值，请稍后重试'),
  /** 60011 lists the scopes the call needs. */
  permissionDenied: (permission: string) =>
    new GatewayFailure('60011', `应用尚未开通所需的权限：[${permission}]，接口权限申请参考：${PERMISSION_APPLY_URL}`),
  ipNotWhitelisted: (address: string) => new GatewayFailure('60020', `访问ip不在白名单之中，request ip=${address}`),
};

/** An unknown topapi method: HTTP 200, errcode 22, no wrapper (§7a, same probe). */
export function unknownTopapiMethod(pathname: string): Record<string, unknown> {
  // DingTalk names topapi methods like `dingtalk.oapi.v2.user.get` for /topapi/v2/user/get.
  const apiName = `dingtalk.oapi.${pathname.replace(/^\/topapi\//, '').split('/').filter(Boolean).join('.')}`;
  return { errcode: 22, sub_msg: `不合法ApiName，${apiName}`, errmsg: `Invalid method[${apiName}]` };
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
  /** No `x-acs-dingtalk-access-token` header at all (issue #18 item 4). */
  missingAccessToken: () => new V1Failure(400, 'AuthenticationFailed.MissingParameter', '缺少参数：x-acs-dingtalk-access-token'),
  notFound: () => new V1Failure(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.'),
  unknownError: () => new V1Failure(500, 'unknownError', '未知错误'),
  qpsLimit: () => new V1Failure(403, 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', '当前应用调用该接口的QPS超过了限制，请降低调用频率'),
  globalQpsLimit: () => new V1Failure(403, 'Forbidden.AccessDenied.QpsLimitForApi', '该接口的全局调用量已经超过了限制，请稍后重试'),
  ipNotWhitelisted: (address: string) => new V1Failure(403, 'Forbidden.AccessDenied.IpNotInWhiteList', `访问ip不在白名单之中，request ip=${address}`),
  payloadTooLarge: () => new V1Failure(413, 'PayloadTooLarge', 'request body is too large'),
};
