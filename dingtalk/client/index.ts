/** The DingTalk API client of DDInnerType: the class, its options and the process-wide token cache. */
export { DDInnerClient, DEFAULT_TIMEOUT_MS, MAX_PAGE_SIZE, type DDInnerClientOptions } from './DDInnerClient';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';
export { clearTokenCache, REFRESH_AHEAD_MS } from './token-cache';
export { CALLS, type CallSpec } from './calls';
export type * from './types';
