/**
 * What one sync of one DDInnerType instance works with: the binding context logins use (so the
 * policy, rule matching and user creation are the same code), the org model and the API client.
 */
import type { AppHandle } from '../../../../../runtime/app-types';
import { JitError } from '../../../../../runtime/errors';
import type { LocalUser } from '../../../../../runtime/auth/types';
import type { BindingContext } from '../binding/binding-context';
import type { DDInnerClientApi } from '../../../../../dingtalk/client/types';
import type { DDInnerAuthModel } from '../DDInnerAuthModel/DDInnerAuthModel';
import type { DDDepartmentModel } from '../DDDepartmentModel/DDDepartmentModel';
import type { DDInnerType } from '../DDInnerType';

export const DD_DEPARTMENT_MODEL = 'auths.loginTypes.DDInnerType.DDDepartmentModel';

export interface SyncContext extends BindingContext {
  orgModel: DDDepartmentModel;
  client: DDInnerClientApi;
}

export function syncContextOf(auth: DDInnerType, app: AppHandle): SyncContext {
  const config = auth.instanceConfig;
  if (!config.isActive) {
    throw new JitError('CORP_NOT_CONFIGURED', `The DingTalk login ${auth.fullName} is switched off (isActive: false); switch it on to sync its organisation`, {
      instance: auth.fullName,
    });
  }
  return {
    app,
    model: app.getElement<DDInnerAuthModel>(auth.authModelElemName),
    orgModel: app.getElement<DDDepartmentModel>(DD_DEPARTMENT_MODEL),
    instance: auth.fullName,
    corpId: config.authConfig.corpId,
    policy: config.binding,
    // Sync waits behind logins (and live events) for the app's DingTalk call budget.
    client: auth.getClient().inLane('sync'),
  };
}

/** The `source` of the local users sync creates. */
export function syncUserSource(instance: string): string {
  return `sync:${instance}`;
}

/**
 * Users this instance provisioned from DingTalk (by sync or by a first login), whose DingTalk record
 * is their source of truth: sync refreshes their profile and disables them when they leave. A local
 * user who existed before and was bound (autoBind or proof) is never touched.
 */
export function isManagedBy(instance: string, user: Pick<LocalUser, 'source'>): boolean {
  return user.source === syncUserSource(instance) || user.source === `login:${instance}`;
}
