/**
 * `jit-runtime/dingtalk`: what both DingTalk element families (the login, `auths.loginTypes.DDInnerType`,
 * and the organisation, `corps.DDInnerType`) are built from, for an app's own Type as well: the API
 * client, the app credentials (`authConfig`), the member profile mapping and the binding engine.
 * Imports only the runtime; never an element.
 */
export * from './client';
export * from './error-codes';
export { readAuthConfig, type AuthConfig } from './auth-config';
export { bindingProfile, changedProfileFields, memberAttribute, newUserFromMember, sameStoredValue } from './profile';
export * from './binding';
export {
  DINGTALK_SCRIPTS, DINGTALK_SCRIPT_PATHS, DINGTALK_SCRIPT_NAMES, DINGTALK_AVATAR_ORIGINS, dingtalkScripts, dingtalkPageNeeds,
  type PageScripts, type DingTalkScript, type ScriptIntegrity,
} from './page-scripts';
export { DINGTALK_LOGIN_TYPE, DINGTALK_AUTH_MODEL, DINGTALK_AUTH_SERVICE } from './login-type';
export { dingTalkHostsOf, dingTalkHostsFromEnv, normaliseDingTalkHosts, DEFAULT_DINGTALK_HOSTS, DINGTALK_HOST_VARIABLES, type DingTalkHosts } from './hosts';
export { dingTalkSettingsOf, type DingTalkSettings } from './settings';
