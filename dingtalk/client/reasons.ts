/**
 * Why a DingTalk call failed, as a typed vocabulary: every error the client throws carries one of
 * these in `details.reason`, beside its stable `code` (dingtalk/error-codes.ts). A code says what kind
 * of failure it is (DINGTALK_PERMISSION_DENIED); the reason says which one (PERMISSION_MISSING or
 * IP_NOT_WHITELISTED), so a caller, a console or an operator's script can branch on it. The reasons
 * are registered codes of kind `reason` (owner `dingtalk`): `app.errorCodes.lookup(reason, 'reason')`
 * says what one means. They are documented in docs/dingtalk.md ("Error classification").
 */
import { defineCodeVocabulary, type CodeOf } from '../../runtime/core';

export const DINGTALK_REASONS = defineCodeVocabulary('dingtalk', 'reason', {
  TOKEN_REJECTED: 'The app access token was refused (40014, 42001, 40001, 40000; wrapped in 88 or not; v1.0 InvalidAuthentication) even after one fresh token',
  USER_TOKEN_REJECTED: "A person's user access token was refused: sign in again",
  APP_CREDENTIALS_REJECTED: 'appKey/appSecret refused (gettoken 40096, 40089; v1.0 invalidClientIdOrSecret)',
  PARAMETER_MISSING: 'A parameter DingTalk needs is missing or invalid (40035)',
  UNKNOWN_METHOD: 'DingTalk does not know the method called (errcode 22)',
  AUTH_CODE_INVALID: 'A login code is expired, used or unknown',
  NOT_CORP_MEMBER: 'The person is not a member of the organisation',
  EXTERNAL_CONTACT: 'The person is an external contact of the organisation, not a member (contact_type 1)',
  PERMISSION_MISSING: 'The app lacks a console permission (60011, 43007; v1.0 AccessTokenPermissionDenied)',
  IP_NOT_WHITELISTED: "This server's egress IP is not in the app's IP whitelist (60020; v1.0 IpNotInWhiteList)",
  OUTSIDE_CONTACT_SCOPE: "The people or departments are outside the app's contacts scope (50002, 50004)",
  RATE_LIMITED: 'DingTalk throttled the calls (90018, 90002, ...; v1.0 QpsLimit/QpmLimit, 429) and the retries ran out',
  BUDGET_EXHAUSTED: 'Our own budget refused the call: its queue\'s deadline or depth was reached (no call was made)',
  QUOTA_EXHAUSTED: "The organisation's monthly call quota is used up (90020)",
  IP_BANNED: 'DingTalk banned this server IP for a while (10,000 calls in 20 s)',
  UNAVAILABLE: 'DingTalk was busy, failed or did not answer, and the retries ran out',
  UNEXPECTED_RESPONSE: 'A success answer without the fields the call needs',
  API_ERROR: 'Any other DingTalk error (its errcode or code is in the details)',
  STREAM_HANDSHAKE_FAILED: 'The DingTalk Stream connection could not be opened (its WebSocket handshake failed)',
  STREAM_CLOSED: 'The DingTalk Stream connection was lost',
});

export type DingTalkFailureReason = CodeOf<typeof DINGTALK_REASONS>;

/** Every reason, in table order. */
export const DINGTALK_FAILURE_REASONS: readonly DingTalkFailureReason[] = DINGTALK_REASONS.codes;

export function isDingTalkFailureReason(value: unknown): value is DingTalkFailureReason {
  return typeof value === 'string' && DINGTALK_REASONS.has(value);
}
