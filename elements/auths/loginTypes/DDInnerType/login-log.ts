/**
 * One info line per login outcome: which instance and flow, which DingTalk member (once known), the
 * status or error code, and how long it took. Never a token, code, ticket or secret: only identifiers.
 */
import { isJitError } from '../../../../runtime/errors';
import type { Logger } from '../../../../runtime/logger';

export type LoginFlow = 'qr' | 'workbench' | 'completeBinding';

/** Filled in as a login learns who is logging in, for the one log line of its outcome. */
export interface LoginTrace {
  dingtalkUserId?: string;
}

export async function withLoginLog<T extends { status: string }>(
  logger: Logger,
  fields: { instance: string; corpId: string; flow: LoginFlow; platform?: string },
  trace: LoginTrace,
  run: () => Promise<T>,
): Promise<T> {
  const started = Date.now();
  const line = (outcome: Record<string, unknown>) => ({ ...fields, dingtalkUserId: trace.dingtalkUserId ?? null, ...outcome, ms: Date.now() - started });
  try {
    const result = await run();
    logger.info('dingtalk login', line({ status: result.status }));
    return result;
  } catch (err) {
    const code = isJitError(err) ? err.code : 'INTERNAL_ERROR';
    if (isJitError(err)) logger.info('dingtalk login failed', line({ code }));
    else logger.error('dingtalk login failed', line({ code, error: err }));
    throw err;
  }
}
