/**
 * The fullName of DingTalk's login Type, spelled once: the login itself, the corp that names a login
 * (`authFullName` must be one) and the doctor all need it, and the two element families never import
 * each other (DECISIONS, "Where DingTalk code lives"), so it lives in the folder both are built from.
 */
export const DINGTALK_LOGIN_TYPE = 'auths.loginTypes.DDInnerType';

/** The login Type's bindings model (the DingTalk member -> local user rows), an element under the Type. */
export const DINGTALK_AUTH_MODEL = `${DINGTALK_LOGIN_TYPE}.DDInnerAuthModel`;

/** The login Type's service (loginByWorkbench, getAuthByCorpId). */
export const DINGTALK_AUTH_SERVICE = `${DINGTALK_LOGIN_TYPE}.services.DDInnerAuthSvc`;
