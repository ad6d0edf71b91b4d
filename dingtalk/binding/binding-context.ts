/**
 * What binding resolution needs to know about the instance it works for. Logins build it from a
 * DDInnerType element; org sync can build the same from any instance, so the policy code stays one.
 */
import type { AppHandle } from '../../runtime/app-types';
import type { BindingPolicy } from '../../elements/auths/loginTypes/DDInnerType/instance-config';
import type { DDInnerAuthModel } from '../../elements/auths/loginTypes/DDInnerType/DDInnerAuthModel/DDInnerAuthModel';

export interface BindingContext {
  app: AppHandle;
  /** The DDInnerAuthModel element (app.getElement(authModelElemName)). */
  model: DDInnerAuthModel;
  /** fullName of the DDInnerType instance: the audience of its tickets and the `source` of users it creates. */
  instance: string;
  corpId: string;
  policy: Readonly<BindingPolicy>;
}
