/**
 * The redirect URL a DingTalk login needs registered in the developer console for QR login:
 * `<publicUrl>/login/callback/<instance>`. DingTalk only redirects to https addresses it knows.
 */
import type { DoctorCheck } from './types';

const TITLE = 'Redirect URL for QR login';

export function redirectUrlCheck(publicUrl: string | undefined, instance: string): DoctorCheck {
  if (!publicUrl) {
    return {
      id: 'redirectUrl', title: TITLE, status: 'problem',
      detail: 'publicUrl is not set in app.json, so the redirect URL DingTalk must send people back to is unknown.',
      fix: 'Set "publicUrl" in app.json to the https address people reach this app at (e.g. "https://login.example.com"), then register <publicUrl>/login/callback/' + instance + ' in the developer console.',
    };
  }
  const redirect = `${publicUrl.replace(/\/+$/, '')}/login/callback/${instance}`;
  let url: URL;
  try {
    url = new URL(redirect);
  } catch {
    return { id: 'redirectUrl', title: TITLE, status: 'problem', detail: `publicUrl "${publicUrl}" is not a URL.`, fix: 'Set "publicUrl" in app.json to an https URL such as "https://login.example.com".' };
  }
  const register = `Register ${redirect} as a redirect URL (回调域名) of the app in the DingTalk developer console.`;
  if (url.protocol !== 'https:') {
    return { id: 'redirectUrl', title: TITLE, status: 'problem', detail: `${redirect} is not https: DingTalk redirects only to https addresses.`, fix: `Serve the app over https and set "publicUrl" in app.json to its https address; then: ${register}` };
  }
  if (!url.hostname) {
    return { id: 'redirectUrl', title: TITLE, status: 'problem', detail: `${redirect} has no host.`, fix: 'Set "publicUrl" in app.json to an https URL with a host name.' };
  }
  return { id: 'redirectUrl', title: TITLE, status: 'ok', detail: `${redirect} (https, host ${url.host}). DingTalk cannot be asked whether it is registered: make sure it is.`, fix: register };
}
