/**
 * The DingTalk API client shared by the login and corps families: the class and its options, the
 * per-app runtime (token cache, call budget, metrics), the budget lanes and the typed failure reasons.
 */
export { DDInnerClient, DEFAULT_TIMEOUT_MS, MAX_PAGE_SIZE, type DDInnerClientOptions } from './DDInnerClient';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';
export { REFRESH_AHEAD_MS } from './token-cache';
export { CALLS, type CallSpec } from './calls';
export { DINGTALK_FAILURE_REASONS, DINGTALK_REASONS, isDingTalkFailureReason, type DingTalkFailureReason } from './reasons';
export { DINGTALK_LANES, DEFAULT_LANE, type DingTalkLane } from './lanes';
export { createDingTalkRuntime, DingTalkRuntime, type DingTalkRuntimeOptions } from './dingtalk-runtime';
export { dingTalkRuntimeOf, type DingTalkAppLike } from './app-runtime';
export {
  CallBudget, DEFAULT_QPS, MAX_QPS, DEFAULT_LANE_DEADLINES_MS, DEFAULT_MAX_QUEUE, DEFAULT_WINDOW_GUARD_MS, type BudgetStatus,
} from './budget';
export { budgetGroupOf, DEFAULT_MEMBERSHIP_TIMING, type MembershipTiming } from './budget-membership';
export { DingTalkMetrics, type DingTalkEvent, type DingTalkEventListener, type DingTalkMetricsSnapshot, type CallOutcome } from './metrics';
export type * from './types';
