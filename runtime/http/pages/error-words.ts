/**
 * Errors in plain words, by stable code, for people (not developers), in each page language: the
 * codes are the same in every language, only the words change. `{org}` is replaced with the app's
 * title. The pages get their language's table in their page data, so the server-rendered pages and
 * the scripts say the same thing.
 */
import type { ErrorCode } from '../../errors';
import type { Language } from '../../settings';

export type WordedCode = ErrorCode | 'NETWORK' | 'DINGTALK_CANCELLED' | 'FRAME_UNAVAILABLE' | 'NOT_IN_DINGTALK';
export type ErrorWords = Partial<Record<WordedCode, string>>;

export const ERROR_WORDS: ErrorWords = {
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
  DINGTALK_RATE_LIMITED: 'DingTalk is busy right now (many people are signing in). Please try again in a few seconds.',
  DINGTALK_PERMISSION_DENIED: 'This app is missing a permission in DingTalk. Ask your administrator to check the app in the DingTalk developer console.',
  DINGTALK_API_ERROR: 'DingTalk returned an error. Please try again; if it keeps happening, tell your administrator.',
  RATE_LIMITED: 'Too many sign-in attempts. Please wait a little and try again.',
  CONFIG_INVALID: 'Sign-in is not configured correctly. Ask your administrator (`jit validate` shows why).',
  ELEMENT_INVALID: 'Sign-in is not configured correctly. Ask your administrator (`jit validate` shows why).',
  LOGIN_REQUIRED: 'Please sign in.',
  INTERNAL_ERROR: 'Something went wrong on our side. Please try again.',
  NETWORK: 'Could not reach the server. Check your connection and try again.',
  DINGTALK_CANCELLED: 'The DingTalk sign-in was cancelled. You can try again.',
  NOT_IN_DINGTALK: 'This page works inside the DingTalk app. Open it from your DingTalk workbench, or sign in with the QR code instead.',
  FRAME_UNAVAILABLE: 'The DingTalk sign-in could not load. Check your connection, or use the full-page sign-in link.',
  ADMIN_REQUIRED: 'Only the administrators of {org} may do this.',
  CSRF_REJECTED: 'This request came from another site, or the page is out of date, and was refused. Reload the page and try again.',
  FILE_CHANGED: 'The files changed on disk since this page was opened; nothing was overwritten. Reload the page.',
  EDIT_REFUSED: 'This host cannot write element files. The page says why.',
  SYNC_IN_PROGRESS: 'This organisation is being synced already. Try again when that run is done.',
};

/** The same codes in Simplified Chinese (DingTalk's own terms: 扫码登录, 免登, 绑定已有账号). */
export const ERROR_WORDS_ZH_CN: ErrorWords = {
  NOT_CORP_MEMBER: '这个钉钉账号不是{org}的成员。请联系管理员在钉钉中把你加入组织，或换一个账号登录。',
  CORP_MISMATCH: '你在钉钉中选择了其他组织。请重新登录，并在钉钉询问组织时选择{org}。',
  CORP_NOT_CONFIGURED: '这个组织还没有设置钉钉登录，请联系管理员。',
  AUTH_CODE_INVALID: '这次钉钉登录已过期或已被使用，请重新扫码登录。',
  STATE_INVALID: '登录页面已过期，请刷新页面后重新扫码。',
  BINDING_REJECTED: '你的钉钉账号没有关联{org}的账号，而且不会自动创建新账号。请联系管理员为你创建账号。',
  AMBIGUOUS_MATCH: '{org}中有多个账号与你的钉钉资料匹配，因此没有自动选择。请联系管理员关联你的账号。',
  BIND_TICKET_INVALID: '绑定已有账号的步骤已过期，请重新扫码开始。',
  CREDENTIALS_INVALID: '这些信息与{org}中的账号不符，请检查后重试。',
  USER_DISABLED: '你在{org}的账号已被禁用，请联系管理员。',
  DINGTALK_UNAVAILABLE: '钉钉暂时没有响应，请稍后重试。',
  DINGTALK_RATE_LIMITED: '钉钉当前繁忙（登录人数较多），请几秒后重试。',
  DINGTALK_PERMISSION_DENIED: '这个应用在钉钉中缺少权限。请联系管理员在钉钉开发者后台检查应用权限。',
  DINGTALK_API_ERROR: '钉钉返回了错误，请重试；如果持续出现，请告诉管理员。',
  RATE_LIMITED: '登录尝试次数过多，请稍候再试。',
  CONFIG_INVALID: '登录配置有误，请联系管理员（`jit validate` 会说明原因）。',
  ELEMENT_INVALID: '登录配置有误，请联系管理员（`jit validate` 会说明原因）。',
  LOGIN_REQUIRED: '请先登录。',
  INTERNAL_ERROR: '服务器出了点问题，请重试。',
  NETWORK: '无法连接服务器，请检查网络后重试。',
  DINGTALK_CANCELLED: '钉钉登录已取消，你可以重试。',
  NOT_IN_DINGTALK: '这个页面需要在钉钉中打开（免登）。请从钉钉工作台打开，或改用扫码登录。',
  FRAME_UNAVAILABLE: '钉钉扫码登录没有加载出来。请检查网络，或使用整页登录链接。',
  ADMIN_REQUIRED: '只有{org}的管理员可以这样做。',
  CSRF_REJECTED: '这个请求来自其他网站，或页面已过期，已被拒绝。请刷新页面后重试。',
  FILE_CHANGED: '页面打开后磁盘上的文件已被修改，没有覆盖任何内容。请刷新页面。',
  EDIT_REFUSED: '这台主机不能写入元素文件，页面上说明了原因。',
  SYNC_IN_PROGRESS: '这个组织正在同步中，请在本次同步结束后再试。',
  NOT_FOUND: '这个地址没有对应的内容。请从登录页面重新开始。',
};

const TABLES: Readonly<Record<Language, ErrorWords>> = Object.freeze({ en: ERROR_WORDS, 'zh-CN': ERROR_WORDS_ZH_CN });

/** The error words of a page language (for the page data). */
export function errorWordsFor(language: Language): ErrorWords {
  return TABLES[language] ?? ERROR_WORDS;
}

/** The plain-words message for an error; falls back to the server's own (secret-free) message. */
export function plainWords(code: string, fallback: string, org: string, language: Language = 'en'): string {
  const words = (errorWordsFor(language) as Record<string, string | undefined>)[code];
  return (words ?? fallback).split('{org}').join(org);
}
