/**
 * One info line and one audit event per login outcome: which instance and flow, which DingTalk member
 * (once known), the status or error code, and how long it took. Never a token, code, ticket or
 * secret: only identifiers. A LOGGED_IN result is `login.succeeded`; a failure is `login.failed`
 * with its code (repeats from one address fold into one row; see runtime/audit).
 */
import { countLogin, type AppHandle, isJitError } from '../../../../runtime';

export type LoginFlow = 'qr' | 'workbench' | 'completeBinding';

/** Filled in as a login learns who is logging in, for the one log line of its outcome. */
export interface LoginTrace {
  dingtalkUserId?: string;
}

/** What a login result tells the audit trail (present on LOGGED_IN results). */
interface LoginOutcome {
  status: string;
  userId?: string;
  binding?: string;
  dingtalk?: { unionId: string | null };
}

export async function withLoginLog<T extends LoginOutcome>(
  app: Pick<AppHandle, 'logger' | 'audit' | 'metrics'>,
  fields: { instance: string; corpId: string; flow: LoginFlow; platform?: string },
  trace: LoginTrace,
  run: () => Promise<T>,
): Promise<T> {
  const { logger } = app;
  const started = Date.now();
  const line = (outcome: Record<string, unknown>) => ({ ...fields, dingtalkUserId: trace.dingtalkUserId ?? null, ...outcome, ms: Date.now() - started });
  const event = { instance: fields.instance, corpId: fields.corpId, details: { flow: fields.flow, platform: fields.platform } };
  let result: T;
  try {
    result = await run();
  } catch (err) {
    const code = isJitError(err) ? err.code : 'INTERNAL_ERROR';
    if (isJitError(err)) logger.info('dingtalk login failed', line({ code }));
    else logger.error('dingtalk login failed', line({ code, error: err }));
    countLogin(app, { instance: fields.instance, flow: fields.flow, outcome: code }, Date.now() - started);
    await app.audit.tryRecord({ ...event, type: 'login.failed', outcome: code, memberId: trace.dingtalkUserId });
    throw err;
  }
  logger.info('dingtalk login', line({ status: result.status }));
  countLogin(app, { instance: fields.instance, flow: fields.flow, outcome: result.status === 'LOGGED_IN' ? 'ok' : result.status.toLowerCase() }, Date.now() - started);
  if (result.status === 'LOGGED_IN') {
    await app.audit.record({
      ...event,
      type: 'login.succeeded',
      userId: result.userId,
      memberId: trace.dingtalkUserId,
      unionId: result.dingtalk?.unionId,
      details: { ...event.details, binding: result.binding },
    });
  }
  return result;
}
