/**
 * The corps family's own codes (any corps Type, DingTalk's or an app's own): declared here, exported
 * from the corps Types' modules (`errorCodes`), so every app with a corp has them in its registry.
 * A DingTalk corp also raises DingTalk's codes (dingtalk/error-codes.ts).
 */
import { defineErrorCodes, type CodeOf } from '../../runtime';

export const CORPS_ERRORS = defineErrorCodes('corps', {
  SYNC_IN_PROGRESS: {
    status: 409,
    summary: 'The organisation is being synced already; try again when that run is done',
    words: { en: 'This organisation is being synced already. Try again when that run is done.', 'zh-CN': '这个组织正在同步中，请在本次同步结束后再试。' },
  },
});

export type CorpsErrorCode = CodeOf<typeof CORPS_ERRORS>;
