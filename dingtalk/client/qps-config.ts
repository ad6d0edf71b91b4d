/**
 * `dingtalk.qps` of an instance's business config, next to the `authConfig` it budgets: how many
 * calls per second per DingTalk API the app may make (DingTalk's standard 20, or 60 with the paid
 * 企业开发增购包). The loader has validated the file against the Type's schema already; this is the
 * one typed read, with the default, for the login Type and the corps family alike.
 */
import { JitError } from '../../runtime/core';
import { DEFAULT_QPS, MAX_QPS } from './budget';

export function readBudgetQps(config: Readonly<Record<string, unknown>> | undefined, fullName: string): number {
  const section = config?.dingtalk;
  if (section === undefined || section === null) return DEFAULT_QPS;
  if (typeof section !== 'object' || Array.isArray(section)) {
    throw new JitError('CONFIG_INVALID', `${fullName}: dingtalk must be an object such as {"qps": ${DEFAULT_QPS}}`, { element: fullName });
  }
  const qps = (section as Record<string, unknown>).qps ?? DEFAULT_QPS;
  if (typeof qps !== 'number' || !Number.isInteger(qps) || qps < 1 || qps > MAX_QPS) {
    throw new JitError(
      'CONFIG_INVALID',
      `${fullName}: dingtalk.qps must be an integer in 1..${MAX_QPS} (DingTalk allows ${DEFAULT_QPS} calls per second per API, ${MAX_QPS} with the paid add-on), got ${JSON.stringify(qps)}`,
      { element: fullName },
    );
  }
  return qps;
}
