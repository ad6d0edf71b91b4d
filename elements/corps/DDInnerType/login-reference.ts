/**
 * What a DingTalk corp uses of the login it names (`authFullName`): its credentials and binding rules,
 * its API client and its binding store. Reached through `app.getElement(authFullName)`, typed by this
 * shape only: the corps family never imports the auths family (and the login never imports corps).
 * `auths.loginTypes.DDInnerType` instances have this shape, and so does any subclass of it.
 */
import type { AuthConfig } from '../../../dingtalk/auth-config';
import type { BindingPolicy } from '../../../dingtalk/binding/policy';
import type { DDInnerClientApi } from '../../../dingtalk/client/types';

/** The Type the schema's `x-element-ref` for `authFullName` names. */
export { DINGTALK_LOGIN_TYPE } from '../../../dingtalk/login-type';

export interface DingTalkLogin {
  readonly fullName: string;
  /** fullName of the model element holding the login's bindings (a BindingStore). */
  readonly authModelElemName: string;
  readonly instanceConfig: { readonly authConfig: Readonly<AuthConfig>; readonly binding: Readonly<BindingPolicy>; readonly isActive: boolean };
  getClient(): DDInnerClientApi;
}
