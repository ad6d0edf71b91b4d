/**
 * The DingTalk endpoints the simulator serves, with the permission code each needs
 * (docs/dingtalk-facts.md §10). Counters and faults are keyed by these names.
 */
import type { SimEndpoint } from './types';

export const ENDPOINT_PERMISSIONS: Readonly<Record<SimEndpoint, string>> = {
  'oauth2/accessToken': 'qyapi_base',
  gettoken: 'qyapi_base',
  'oauth2/corpToken': 'qyapi_base',
  // Stream registration: no permission is documented or checked (the events are ticked in the console).
  'gateway/connections/open': 'qyapi_base',
  'oauth2/userAccessToken': 'open_app_api_base',
  'contact/users/me': 'Contact.User.Read',
  'topapi/user/getbyunionid': 'qyapi_get_member',
  'topapi/v2/user/getuserinfo': 'qyapi_base',
  'topapi/v2/user/get': 'qyapi_get_member',
  'topapi/v2/department/listsub': 'qyapi_get_department_list',
  'topapi/v2/department/get': 'qyapi_get_department_list',
  'topapi/v2/user/list': 'qyapi_get_department_member',
};

/** `/contact/users/me` returns `mobile` only with this one (docs/dingtalk-facts.md §3d). */
export const MOBILE_PERMISSION = 'Contact.User.mobile';

export const SIM_ENDPOINTS = Object.keys(ENDPOINT_PERMISSIONS) as SimEndpoint[];

export function isSimEndpoint(value: unknown): value is SimEndpoint {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ENDPOINT_PERMISSIONS, value);
}
