/**
 * Why a DingTalk call failed, as a typed vocabulary: every error the client throws carries one of
 * these in `details.reason`, beside its stable `code` (runtime/errors.ts). A code says what kind of
 * failure it is (DINGTALK_PERMISSION_DENIED); the reason says which one (PERMISSION_MISSING or
 * IP_NOT_WHITELISTED), so a caller, a console or an operator's script can branch on it. The reasons
 * are documented in docs/dingtalk.md ("Error classification").
 */
export const DINGTALK_FAILURE_REASONS = [
  /** The app access token was refused (40014, 42001, 40001, 40000; wrapped in 88 or not; v1.0 InvalidAuthentication) even after one fresh token. */
  'TOKEN_REJECTED',
  /** A person's user access token was refused: sign in again. */
  'USER_TOKEN_REJECTED',
  /** appKey/appSecret refused (gettoken 40096, 40089; v1.0 invalidClientIdOrSecret). */
  'APP_CREDENTIALS_REJECTED',
  /** A parameter DingTalk needs is missing or invalid (40035). */
  'PARAMETER_MISSING',
  /** DingTalk does not know the method called (errcode 22). */
  'UNKNOWN_METHOD',
  /** A login code is expired, used or unknown. */
  'AUTH_CODE_INVALID',
  /** The person is not a member of the organisation. */
  'NOT_CORP_MEMBER',
  /** The app lacks a console permission (60011, 43007; v1.0 AccessTokenPermissionDenied). */
  'PERMISSION_MISSING',
  /** This server's egress IP is not in the app's IP whitelist (60020; v1.0 IpNotInWhiteList). */
  'IP_NOT_WHITELISTED',
  /** The people or departments are outside the app's contacts scope (50002, 50004). */
  'OUTSIDE_CONTACT_SCOPE',
  /** DingTalk throttled the calls (90018, 90002, ...; v1.0 QpsLimit/QpmLimit, 429) and the retries ran out. */
  'RATE_LIMITED',
  /** Our own budget refused the call: its queue's deadline or depth was reached (no call was made). */
  'BUDGET_EXHAUSTED',
  /** The organisation's monthly call quota is used up (90020). */
  'QUOTA_EXHAUSTED',
  /** DingTalk banned this server IP for a while (10,000 calls in 20 s). */
  'IP_BANNED',
  /** DingTalk was busy, failed or did not answer, and the retries ran out. */
  'UNAVAILABLE',
  /** A success answer without the fields the call needs. */
  'UNEXPECTED_RESPONSE',
  /** Any other DingTalk error (its errcode or code is in the details). */
  'API_ERROR',
] as const;

export type DingTalkFailureReason = (typeof DINGTALK_FAILURE_REASONS)[number];

export function isDingTalkFailureReason(value: unknown): value is DingTalkFailureReason {
  return typeof value === 'string' && (DINGTALK_FAILURE_REASONS as readonly string[]).includes(value);
}
