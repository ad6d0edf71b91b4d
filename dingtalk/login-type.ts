/**
 * The fullName of DingTalk's login Type, spelled once: the login itself, the corp that names a login
 * (`authFullName` must be one) and the doctor all need it, and the two element families never import
 * each other (DECISIONS, "Where DingTalk code lives"), so it lives in the folder both are built from.
 */
export const DINGTALK_LOGIN_TYPE = 'auths.loginTypes.DDInnerType';
