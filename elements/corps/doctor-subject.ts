/**
 * Which DingTalk login or corp `jit doctor <instance>` checks, and with which features: a login (and
 * the corp that names it, if any) or a corp on its own. Lives with the elements because dingtalk/
 * never imports elements/ (DECISIONS, "Where DingTalk code lives"); the checks are dingtalk/doctor.
 */
import { type AppHandle, JitError } from '../../runtime';
import type { AuthConfig } from '../../dingtalk/auth-config';
import type { DDInnerClientApi } from '../../dingtalk/client/types';
import { DINGTALK_LOGIN_TYPE } from '../../dingtalk/login-type';
import { runDoctor, type DoctorSubject } from '../../dingtalk/doctor/run-doctor';
import type { DoctorReport } from '../../dingtalk/doctor/types';
import { CORPS_META, type CorpType } from './CorpType';
import { resolveCorp } from './resolve-corp';


/** What a DingTalk login or corp element offers the doctor. */
interface DingTalkElement {
  readonly authConfig: Readonly<AuthConfig>;
  getClient(): DDInnerClientApi;
}

/** BAD_REQUEST with `details.usage` (the command's exit 2) for a name that is not a DingTalk login or corp. */
function notAnInstance(message: string, instance: string): JitError {
  return new JitError('BAD_REQUEST', message, { fullName: instance, usage: true });
}

export function doctorSubjectOf(app: AppHandle, instance: string): DoctorSubject {
  const definition = app.getDefinition(instance);
  if (!definition || definition.level !== 'instance') {
    throw notAnInstance(`No instance ${instance} in ${app.dir}: give a DingTalk login's or corp's fullName (jit list shows them)`, instance);
  }
  if (definition.typeChain.includes(DINGTALK_LOGIN_TYPE)) {
    const login = app.getElement<DingTalkElement>(instance);
    const resolved = resolveCorp(app, instance);
    const corp = resolved && resolved.via === 'login' ? resolved.corp : null;
    return { instance, authConfig: login.authConfig, client: login.getClient(), isLogin: true, corp: corp && corpFeatures(corp) };
  }
  if (definition.typeChain.includes(CORPS_META)) {
    const corp = app.getElement<CorpType & Partial<DingTalkElement>>(instance);
    if (typeof corp.getClient !== 'function' || !corp.authConfig) {
      throw notAnInstance(`${instance} is not a DingTalk corp: jit doctor checks DingTalk logins and corps`, instance);
    }
    return { instance, authConfig: corp.authConfig, client: corp.getClient(), isLogin: false, corp: corpFeatures(corp) };
  }
  throw notAnInstance(`${instance} is neither a DingTalk login nor a corp: jit doctor checks those`, instance);
}

function corpFeatures(corp: CorpType): { fullName: string; syncsEvents: boolean } {
  return { fullName: corp.fullName, syncsEvents: corp.settings.sync.events };
}

/** `jit doctor <instance>`: the checks of the login or corp `instance` names, recorded in the audit trail. */
export function doctorInstance(app: AppHandle, instance: string): Promise<DoctorReport> {
  return runDoctor(app, doctorSubjectOf(app, instance));
}
