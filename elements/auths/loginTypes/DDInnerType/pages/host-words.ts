/**
 * The host's words this Type says in DingTalk's terms (HostContribution.words), one catalog per
 * language: where the runtime's own words are family-neutral ("external account id"), DingTalk's
 * users read "DingTalk userid"; and the words of the Type's own sign-in page, `/login/workbench`.
 * The Chinese uses DingTalk's own terms (钉钉, 工作台).
 */
const EN = {
  'users.search': 'Name, phone, username or DingTalk userid',
  'audit.user': 'User (username, id or DingTalk userid)',
  'audit.account': 'DingTalk',
  // The same sentence as the DINGTALK_CANCELLED error's words: the redirect came back without a code.
  'login.cancelled.message': 'The DingTalk sign-in was cancelled. You can try again.',
  'login.workbenchOnly': 'This page must be opened from the DingTalk workbench, which adds the organisation (corpId) to its address.',
} as const;

type HostWordKey = keyof typeof EN;

const ZH_CN: Readonly<Record<HostWordKey, string>> = {
  'users.search': '姓名、手机号、用户名或钉钉 userid',
  'audit.user': '用户（用户名、ID 或钉钉 userid）',
  'audit.account': '钉钉',
  'login.cancelled.message': '钉钉登录已取消，你可以重试。',
  'login.workbenchOnly': '请从钉钉工作台打开这个页面，工作台会在地址中带上组织（corpId）。',
};

export const HOST_WORDS = Object.freeze({ en: Object.freeze({ ...EN }), 'zh-CN': Object.freeze({ ...ZH_CN }) });
