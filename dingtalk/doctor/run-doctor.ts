/**
 * `runDoctor(app, instance)`: checks a DingTalk login's or corp's set-up against DingTalk and records
 * the run in the audit trail (`admin.doctor`, each check's id and status; no secrets), which
 * `lastDoctorRun` reads back. On demand only (DECISIONS #14): nothing runs it on a schedule.
 *
 * A login checks what logging in needs (credentials, member permissions, IP whitelist, redirect URL,
 * corpId, the pinned browser scripts) and, when a corp names it, what that corp's sync needs; a corp checks its own. The Stream
 * connection is checked when the corp has `sync.events`. Every call is in the app budget's doctor lane.
 *
 * Which element a name means is the elements' business (dingtalk/ never imports elements/): the
 * caller passes the subject, made by `doctorSubjectOf` (elements/corps/doctor-subject.ts).
 */
import type { AppHandle } from '../../runtime';
import type { AuthConfig } from '../auth-config';
import { dingTalkRuntimeOf } from '../client/app-runtime';
import { dingTalkHostsOf } from '../hosts';
import type { DDInnerClientApi } from '../client/types';
import { credentialsCheck, ipWhitelistCheck, IpWitness, LOGIN_PROBES, permissionCheck, SYNC_PROBES, type PermissionProbe } from './api-checks';
import { corpIdCheck, streamCheck } from './link-checks';
import { redirectUrlCheck } from './redirect-url';
import { scriptPinsCheck } from './script-pins-check';
import type { DoctorCheck, DoctorReport } from './types';

export const DOCTOR_AUDIT_TYPE = 'admin.doctor';

/** What is checked: the instance asked about, its DingTalk app, and which features it has. */
export interface DoctorSubject {
  /** The login's or corp's fullName. */
  instance: string;
  authConfig: Readonly<AuthConfig>;
  /** The element's client (its credentials, the app's runtime); the doctor moves it to its own lane. */
  client: DDInnerClientApi;
  /** A login: QR and workbench login (member look-ups, the redirect URL). */
  isLogin: boolean;
  /** The corp checked (the instance itself, or the corp naming the login), or null. */
  corp: { fullName: string; syncsEvents: boolean } | null;
}

export async function runDoctor(app: AppHandle, subject: DoctorSubject): Promise<DoctorReport> {
  const { instance, isLogin, corp } = subject;
  const { appKey, appSecret, corpId } = subject.authConfig;
  const client = subject.client.inLane('doctor');
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
  if (isLogin) checks.push(await scriptPinsCheck(app));

  const credentialsForLinks = { appKey, appSecret, corpId, apiUrl: dingTalkHostsOf(app).apiUrl, runtime };
  checks.push(tokenOk ? await corpIdCheck(credentialsForLinks) : skippedAfterCredentials('corpId', `corpId ${corpId} belongs to the app`));
  if (corp?.syncsEvents) {
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
