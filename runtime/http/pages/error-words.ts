/**
 * Login errors in plain words, by stable code, for people (not developers). `{org}` is replaced
 * with the app's title. The pages get this table in their page data, so the server-rendered
 * callback page and the scripts say the same thing.
 */
import type { ErrorCode } from '../../errors';

export const ERROR_WORDS: Partial<Record<ErrorCode | 'NETWORK' | 'DINGTALK_CANCELLED' | 'FRAME_UNAVAILABLE' | 'NOT_IN_DINGTALK', string>> = {
  NOT_CORP_MEMBER: 'This DingTalk account is not a member of {org}. Ask your administrator to add you to the organisation in DingTalk, or sign in with another account.',
  CORP_MISMATCH: 'You chose a different organisation in DingTalk. Sign in again and choose {org} when DingTalk asks for the organisation.',
  CORP_NOT_CONFIGURED: 'Sign-in with DingTalk is not set up for this organisation. Ask your administrator.',
  AUTH_CODE_INVALID: 'That DingTalk sign-in has expired or was already used. Please scan the QR code again.',
  STATE_INVALID: 'This sign-in page has expired. Reload the page and scan the new QR code.',
  BINDING_REJECTED: 'Your DingTalk account is not linked to an account in {org}, and new accounts are not created automatically. Ask your administrator to create one for you.',
  AMBIGUOUS_MATCH: 'More than one account in {org} matches your DingTalk profile, so none was chosen. Ask your administrator to link your account.',
  BIND_TICKET_INVALID: 'This linking step has expired. Please scan the QR code again to start over.',
  CREDENTIALS_INVALID: 'Those details do not match an account in {org}. Check them and try again.',
  USER_DISABLED: 'Your account in {org} is disabled. Ask your administrator.',
  DINGTALK_UNAVAILABLE: 'DingTalk is not responding right now. Please try again in a minute.',
  DINGTALK_RATE_LIMITED: 'DingTalk is busy right now. Please try again in a minute.',
  DINGTALK_PERMISSION_DENIED: 'This app is missing a permission in DingTalk. Ask your administrator to check the app in the DingTalk developer console.',
  DINGTALK_API_ERROR: 'DingTalk returned an error. Please try again; if it keeps happening, tell your administrator.',
  RATE_LIMITED: 'Too many sign-in attempts. Please wait a minute and try again.',
  CONFIG_INVALID: 'Sign-in is not configured correctly. Ask your administrator (`jit validate` shows why).',
  ELEMENT_INVALID: 'Sign-in is not configured correctly. Ask your administrator (`jit validate` shows why).',
  LOGIN_REQUIRED: 'Please sign in.',
  INTERNAL_ERROR: 'Something went wrong on our side. Please try again.',
  NETWORK: 'Could not reach the server. Check your connection and try again.',
  DINGTALK_CANCELLED: 'The DingTalk sign-in was cancelled. You can try again.',
  NOT_IN_DINGTALK: 'This page works inside the DingTalk app. Open it from your DingTalk workbench, or sign in with the QR code instead.',
  FRAME_UNAVAILABLE: 'The DingTalk sign-in could not load. Check your connection, or use the full-page sign-in link.',
};

/** The plain-words message for an error; falls back to the server's own (secret-free) message. */
export function plainWords(code: string, fallback: string, org: string): string {
  const words = (ERROR_WORDS as Record<string, string | undefined>)[code];
  return (words ?? fallback).split('{org}').join(org);
}
