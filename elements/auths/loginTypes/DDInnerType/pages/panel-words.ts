/**
 * The words of DDInnerType's login panel (pages/login-panel.js), one catalog per language, owned by
 * this Type and handed to the panel through the login page's data (HostContribution.panelWords).
 * The Chinese uses DingTalk's own terms: 扫码登录, 免登, 绑定已有账号.
 */
const EN = {
  opening: 'Opening DingTalk…',
  tryAgain: 'Try again',
  startAgain: 'Start again',
  fullPageIntro: 'Sign in on DingTalk\u2019s own page, then pick your organisation there.',
  signInWithDingTalk: 'Sign in with DingTalk',
  qrLabel: 'DingTalk QR code: scan it with the DingTalk app',
  scanHint: 'Scan with the DingTalk app. Trouble scanning? ',
  useFullPage: 'Use full-page sign-in',
  signingIn: 'Signing in…',
  dingtalkAccount: 'DingTalk account: ',
  linked: 'The DingTalk account {member} is now linked to your account {username}.',
  bindHeading: 'Link your existing account',
  bindIntro: 'This DingTalk account is not linked to an account in {app} yet. If it is yours, show which account in {app} is yours to link them; you only do this once. If it is not yours, stop here: whoever holds it would sign in as you.',
  proveAccount: 'How to prove your account',
  tabPassword: 'Password',
  tabPhone: 'Phone and code',
  username: 'Username',
  password: 'Password',
  linkAndSignIn: 'Link and sign in',
  checking: 'Checking…',
  phone: 'Phone number of your account',
  verificationCode: 'Verification code',
  sendCode: 'Send code',
  sendingCode: 'Sending a code…',
  codeSent: 'We sent a code to that phone. Enter it here.',
  workbenchProgress: 'Signing you in with DingTalk…',
  useQrInstead: 'Sign in with a QR code instead',
} as const;

export type PanelWordKey = keyof typeof EN;

const ZH_CN: Readonly<Record<PanelWordKey, string>> = {
  opening: '正在打开钉钉…',
  tryAgain: '重试',
  startAgain: '重新开始',
  fullPageIntro: '在钉钉自己的登录页面登录，然后在那里选择你的组织。',
  signInWithDingTalk: '钉钉登录',
  qrLabel: '钉钉登录二维码：请用钉钉 App 扫码',
  scanHint: '请使用钉钉 App 扫码登录。扫码有问题？',
  useFullPage: '使用整页登录',
  signingIn: '正在登录…',
  dingtalkAccount: '钉钉账号：',
  linked: '钉钉账号 {member} 已绑定到你的账号 {username}。',
  bindHeading: '绑定已有账号',
  bindIntro: '这个钉钉账号还没有绑定{app}的账号。如果它是你的，请证明哪个{app}账号是你的，以绑定已有账号；只需操作一次。如果它不是你的，请到此为止：持有它的人将能以你的身份登录。',
  proveAccount: '如何证明你的账号',
  tabPassword: '密码',
  tabPhone: '手机号和验证码',
  username: '用户名',
  password: '密码',
  linkAndSignIn: '绑定并登录',
  checking: '正在验证…',
  phone: '账号的手机号',
  verificationCode: '验证码',
  sendCode: '发送验证码',
  sendingCode: '正在发送验证码…',
  codeSent: '验证码已发送到该手机，请在这里输入。',
  workbenchProgress: '正在通过钉钉免登…',
  useQrInstead: '改用扫码登录',
};

export const PANEL_WORDS = Object.freeze({ en: Object.freeze({ ...EN }), 'zh-CN': Object.freeze({ ...ZH_CN }) });
