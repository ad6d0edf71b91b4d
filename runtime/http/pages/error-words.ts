/**
 * Errors in plain words, by stable code, for people (not developers), in each page language: the
 * codes are the same in every language, only the words change. `{org}` is replaced with the app's
 * title. The pages get their language's table in their page data, so the server-rendered pages and
 * the scripts say the same thing.
 *
 * This file holds the words of the runtime's own codes (core, the login codes every login Type
 * shares, the pages' NETWORK); an element family declares the words of its codes with the codes
 * (`defineErrorCodes(owner, { CODE: { status, summary, words } })`), and a page gets them through
 * the app's registry (`errorWordsFor(language, app.errorCodes)`). Every worded code is a registered one.
 */
import type { CodeOf, ErrorCodeLookup } from '../../errors';
import type { CORE_PAGE_CODES } from '../../errors';
import type { ErrorCode } from '../../errors';
import type { LoginErrorCode } from '../../auth/login-error-codes';
import type { Language } from '../../settings';

/** The runtime's codes a page can show in words. */
export type WordedCode = ErrorCode | LoginErrorCode | CodeOf<typeof CORE_PAGE_CODES>;
export type ErrorWords = Partial<Record<WordedCode, string>>;

export const ERROR_WORDS: ErrorWords = {
  AUTH_CODE_INVALID: 'That sign-in has expired or was already used. Please sign in again.',
  STATE_INVALID: 'This sign-in page has expired. Reload the page and scan the new QR code.',
  BINDING_REJECTED: 'Your account is not linked to an account in {org}, and new accounts are not created automatically. Ask your administrator to create one for you.',
  AMBIGUOUS_MATCH: 'More than one account in {org} matches your profile, so none was chosen. Ask your administrator to link your account.',
  BIND_TICKET_INVALID: 'This linking step has expired. Please sign in again to start over.',
  CREDENTIALS_INVALID: 'Those details do not match an account in {org}. Check them and try again.',
  USER_DISABLED: 'Your account in {org} is disabled. Ask your administrator.',
  RATE_LIMITED: 'Too many sign-in attempts. Please wait a little and try again.',
  CONFIG_INVALID: 'Sign-in is not configured correctly. Ask your administrator (`jit validate` shows why).',
  ELEMENT_INVALID: 'Sign-in is not configured correctly. Ask your administrator (`jit validate` shows why).',
  LOGIN_REQUIRED: 'Please sign in.',
  INTERNAL_ERROR: 'Something went wrong on our side. Please try again.',
  NETWORK: 'Could not reach the server. Check your connection and try again.',
  ADMIN_REQUIRED: 'Only the administrators of {org} may do this.',
  CSRF_REJECTED: 'This request came from another site, or the page is out of date, and was refused. Reload the page and try again.',
  FILE_CHANGED: 'The files changed on disk since this page was opened; nothing was overwritten. Reload the page.',
  EDIT_REFUSED: 'This host cannot write element files. The page says why.',
};

/** The same codes in Simplified Chinese. */
export const ERROR_WORDS_ZH_CN: ErrorWords = {
  AUTH_CODE_INVALID: '这次登录已过期或已被使用，请重新登录。',
  STATE_INVALID: '登录页面已过期，请刷新页面后重新扫码。',
  BINDING_REJECTED: '你的账号没有关联{org}的账号，而且不会自动创建新账号。请联系管理员为你创建账号。',
  AMBIGUOUS_MATCH: '{org}中有多个账号与你的资料匹配，因此没有自动选择。请联系管理员关联你的账号。',
  BIND_TICKET_INVALID: '绑定已有账号的步骤已过期，请重新登录开始。',
  CREDENTIALS_INVALID: '这些信息与{org}中的账号不符，请检查后重试。',
  USER_DISABLED: '你在{org}的账号已被禁用，请联系管理员。',
  RATE_LIMITED: '登录尝试次数过多，请稍候再试。',
  CONFIG_INVALID: '登录配置有误，请联系管理员（`jit validate` 会说明原因）。',
  ELEMENT_INVALID: '登录配置有误，请联系管理员（`jit validate` 会说明原因）。',
  LOGIN_REQUIRED: '请先登录。',
  INTERNAL_ERROR: '服务器出了点问题，请重试。',
  NETWORK: '无法连接服务器，请检查网络后重试。',
  ADMIN_REQUIRED: '只有{org}的管理员可以这样做。',
  CSRF_REJECTED: '这个请求来自其他网站，或页面已过期，已被拒绝。请刷新页面后重试。',
  FILE_CHANGED: '页面打开后磁盘上的文件已被修改，没有覆盖任何内容。请刷新页面。',
  EDIT_REFUSED: '这台主机不能写入元素文件，页面上说明了原因。',
  NOT_FOUND: '这个地址没有对应的内容。请从登录页面重新开始。',
};

const TABLES: Readonly<Record<Language, ErrorWords>> = Object.freeze({ en: ERROR_WORDS, 'zh-CN': ERROR_WORDS_ZH_CN });

/**
 * The error words of a page language (for the page data): the runtime's, and those the app's
 * registry holds for its Types' codes (`codes`: `app.errorCodes`). The runtime's words win.
 */
export function errorWordsFor(language: Language, codes?: ErrorCodeLookup): Readonly<Record<string, string>> {
  const own = (TABLES[language] ?? ERROR_WORDS) as Record<string, string>;
  return codes ? { ...codes.wordsFor(language), ...own } : own;
}

/** The plain-words message for an error; falls back to the server's own (secret-free) message. */
export function plainWords(code: string, fallback: string, org: string, language: Language = 'en', codes?: ErrorCodeLookup): string {
  const words = errorWordsFor(language, codes)[code];
  return (words ?? fallback).split('{org}').join(org);
}
