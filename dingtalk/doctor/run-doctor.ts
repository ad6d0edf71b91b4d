/**
 * `runDoctor(app, instance)`: checks a DingTalk login's or corp's set-up against DingTalk and records
 * the run in the audit trail (`admin.doctor`, each check's id and status; no secrets), which
 * `lastDoctorRun` reads back. On demand only (DECISIONS #14): nothing runs it on a schedule.
 *
 * A login checks what logging in needs (credentials, member permissions, IP whitelist, redirect URL,
 * corpId) and, when a corp names it, what that corp's sync needs; a corp checks its own. The Stream
 * connection is checked when the corp has `sync.events`. Every call is in the app budget's doctor lane.
 */
import type { AppHandle } from '../../runtime/app-types';
import { JitError } from '../../runtime/errors';
import { CORPS_META, type CorpType } from '../../elements/corps/CorpType';
import { resolveCorp } from '../../elements/corps/resolve-corp';
import type { AuthConfig } from '../auth-config';
import { dingTalkRuntimeOf } from '../client/app-runtime';
import type { DDInnerClientApi } from '../client/types';
import { credentialsCheck, ipWhitelistCheck, IpWitness, LOGIN_PROBES, permissionCheck, SYNC_PROBES, type PermissionProbe } from './api-checks';
import { corpIdCheck, streamCheck } from './link-checks';
import { redirectUrlCheck } from './redirect-url';
import type { DoctorCheck, DoctorReport } from './types';

export const DOCTOR_AUDIT_TYPE = 'admin.doctor';
const LOGIN_TYPE = 'auths.loginTypes.DDInnerType';

/** What a DingTalk login or corp element offers the doctor. */
interface DingTalkElement {
  readonly authConfig: Readonly<AuthConfig>;
  getClient(): DDInnerClientApi;
}

interface Subject {
  element: DingTalkElement;
  isLogin: boolean;
  corp: (CorpType & DingTalkElement) | null;
}

/** The login or corp `instance` names; BAD_REQUEST (bad usage) for anything else. */
function subjectOf(app: AppHandle, instance: string): Subject {
  const definition = app.getDefinition(instance);
  if (!definition || definition.level !== 'instance') {
    throw new JitError('BAD_REQUEST', `No instance ${instance} in ${app.dir}: give a DingTalk login's or corp's fullName (jit list shows them)`, { fullName: instance, usage: true });
  }
  if (definition.typeChain.includes(LOGIN_TYPE)) {
    const resolved = resolveCorp(app, instance);
    const corp = resolved && resolved.via === 'login' ? (resolved.corp as CorpType & DingTalkElement) : null;
    return { element: app.getElement<DingTalkElement>(instance), isLogin: true, corp };
  }
  if (definition.typeChain.includes(CORPS_META)) {
    const corp = app.getElement<CorpType & Partial<DingTalkElement>>(instance);
    if (typeof corp.getClient !== 'function' || !corp.authConfig) {
      throw new JitError('BAD_REQUEST', `${instance} is not a DingTalk corp: jit doctor checks DingTalk logins and corps`, { fullName: instance, usage: true });
    }
    return { element: corp as CorpType & DingTalkElement, isLogin: false, corp: corp as CorpType & DingTalkElement };
  }
  throw new JitError('BAD_REQUEST', `${instance} is neither a DingTalk login nor a corp: jit doctor checks those`, { fullName: instance, usage: true });
}

export async function runDoctor(app: AppHandle, instance: string): Promise<DoctorReport> {
  const { element, isLogin, corp } = subjectOf(app, instance);
  const { appKey, appSecret, corpId } = element.authConfig;
  const client = element.getClient().inLane('doctor');
  const runtime = dingTalkRuntimeOf(app);
  const ip = new IpWitness();
  const checks: DoctorCheck[] = [];

  const credentials = await credentialsCheck(client, appKey, ip);
  checks.push(credentials);
  const tokenOk = credentials.status === 'ok';

  const probes: PermissionProbe[] = [...(isLogin ? LOGIN_PROBES : []), ...(corp ? SYNC_PROBES : [])];
  for (const probe of probes) {
    checks.push(tokenOk ? await permissionCheck(client, probe, ip) : skippedAfterCredentials(`permission:${probe.api}`, `Permission for ${probe.api} (${probe.neededFor})`));
  }
  checks.push(ipWhitelistCheck(ip, credentials.status !== 'skipped'));
  if (isLogin) checks.push(redirectUrlCheck(app.settings.publicUrl, instance));

  const credentialsForLinks = { appKey, appSecret, corpId, apiUrl: app.dingtalk.apiUrl, runtime };
  checks.push(tokenOk ? await corpIdCheck(credentialsForLinks) : skippedAfterCredentials('corpId', `corpId ${corpId} belongs to the app`));
  if (corp?.settings.sync.events) {
    const why = corp.fullName === instance ? 'sync.events is on' : `${corp.fullName} has sync.events on`;
    checks.push(tokenOk ? await streamCheck(credentialsForLinks, why) : skippedAfterCredentials('stream', `Stream connection (${why})`));
  }

  const report: DoctorReport = {
    instance,
    corp: corp && corp.fullName !== instance ? corp.fullName : null,
    appKey,
    corpId,
    ok: checks.every((c) => c.status !== 'problem'),
    checks,
  };
  await app.audit.record({
    type: DOCTOR_AUDIT_TYPE,
    outcome: report.ok ? 'ok' : 'DOCTOR_PROBLEMS',
    instance,
    corpId,
    details: { checks: checks.map((c) => ({ id: c.id, status: c.status })) },
  });
  return report;
}

function skippedAfterCredentials(id: string, title: string): DoctorCheck {
  return { id, title, status: 'skipped', detail: 'Not checked: the app access token could not be fetched (see the credentials check).', fix: null };
}
