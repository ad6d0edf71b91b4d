/**
 * DingTalk's codes, declared once for both DingTalk families (DECISIONS "Login vocabulary and error
 * codes"): the JitError codes of the client and the DingTalk login (`CORP_*`, `NOT_CORP_MEMBER`,
 * `DINGTALK_*`), and the DingTalk pages' own failure codes (their scripts show them; no request
 * answers with one). The typed `details.reason` vocabulary is in client/reasons.ts. Both DingTalk
 * Types export these tables from their modules (`errorCodes`), so every app that uses one has them in
 * its registry; the same tables exported twice are no duplicate.
 */
import { defineCodeVocabulary, defineErrorCodes, LOGIN_ERRORS, type CodeOf, type JitError, type LoginErrorCode } from '../runtime/core';

export const DINGTALK_ERRORS = defineErrorCodes('dingtalk', {
  CORP_NOT_CONFIGURED: {
    status: 404,
    summary: 'No active login instance for that corpId',
    words: {
      en: 'Sign-in with DingTalk is not set up for this organisation. Ask your administrator.',
      'zh-CN': '这个组织还没有设置钉钉登录，请联系管理员。',
    },
  },
  CORP_MISMATCH: {
    status: 403,
    summary: 'The DingTalk organisation selected is not this instance\'s',
    words: {
      en: 'You chose a different organisation in DingTalk. Sign in again and choose {org} when DingTalk asks for the organisation.',
      'zh-CN': '你在钉钉中选择了其他组织。请重新登录，并在钉钉询问组织时选择{org}。',
    },
  },
  NOT_CORP_MEMBER: {
    status: 403,
    summary: 'The DingTalk account is not a member of the organisation',
    words: {
      en: 'This DingTalk account is not a member of {org}. Ask your administrator to add you to the organisation in DingTalk, or sign in with another account.',
      'zh-CN': '这个钉钉账号不是{org}的成员。请联系管理员在钉钉中把你加入组织，或换一个账号登录。',
    },
  },
  DINGTALK_UNAVAILABLE: {
    status: 503,
    summary: 'DingTalk did not answer in time or failed',
    words: { en: 'DingTalk is not responding right now. Please try again in a minute.', 'zh-CN': '钉钉暂时没有响应，请稍后重试。' },
  },
  DINGTALK_RATE_LIMITED: {
    status: 503,
    summary: 'DingTalk rate limits were hit and retries ran out',
    words: {
      en: 'DingTalk is busy right now (many people are signing in). Please try again in a few seconds.',
      'zh-CN': '钉钉当前繁忙（登录人数较多），请几秒后重试。',
    },
  },
  DINGTALK_PERMISSION_DENIED: {
    status: 502,
    summary: 'The DingTalk app lacks a permission',
    words: {
      en: 'This app is missing a permission in DingTalk. Ask your administrator to check the app in the DingTalk developer console.',
      'zh-CN': '这个应用在钉钉中缺少权限。请联系管理员在钉钉开发者后台检查应用权限。',
    },
  },
  DINGTALK_API_ERROR: {
    status: 502,
    summary: 'DingTalk returned an error',
    words: {
      en: 'DingTalk returned an error. Please try again; if it keeps happening, tell your administrator.',
      'zh-CN': '钉钉返回了错误，请重试；如果持续出现，请告诉管理员。',
    },
  },
});

export type DingTalkErrorCode = CodeOf<typeof DINGTALK_ERRORS>;

/** What the DingTalk pages' scripts can fail with before any request is answered. */
export const DINGTALK_PAGE_CODES = defineCodeVocabulary('dingtalk', 'page', {
  DINGTALK_CANCELLED: {
    summary: 'The person cancelled the DingTalk sign-in (the redirect came back with no code)',
    words: { en: 'The DingTalk sign-in was cancelled. You can try again.', 'zh-CN': '钉钉登录已取消，你可以重试。' },
  },
  NOT_IN_DINGTALK: {
    summary: 'The workbench page was opened outside the DingTalk app (no login-free code can be had)',
    words: {
      en: 'This page works inside the DingTalk app. Open it from your DingTalk workbench, or sign in with the QR code instead.',
      'zh-CN': '这个页面需要在钉钉中打开（免登）。请从钉钉工作台打开，或改用扫码登录。',
    },
  },
  FRAME_UNAVAILABLE: {
    summary: 'The embedded DingTalk QR frame did not load',
    words: {
      en: 'The DingTalk sign-in could not load. Check your connection, or use the full-page sign-in link.',
      'zh-CN': '钉钉扫码登录没有加载出来。请检查网络，或使用整页登录链接。',
    },
  },
});

export type DingTalkPageCode = CodeOf<typeof DINGTALK_PAGE_CODES>;

/** A JitError of a DingTalk code or of a login code DingTalk raises (AUTH_CODE_INVALID), from its owner's table. */
export function dingTalkError(
  code: DingTalkErrorCode | LoginErrorCode,
  message?: string,
  details?: Record<string, unknown>,
  options?: { cause?: unknown },
): JitError {
  return DINGTALK_ERRORS.has(code) ? DINGTALK_ERRORS.error(code, message, details, options) : LOGIN_ERRORS.error(code as LoginErrorCode, message, details, options);
}
