/**
 * The base URLs of DingTalk's three hosts (oapi for the old API, api for v1.0, login for the QR frame
 * and OAuth pages): the real ones, or others named in the app's environment — DINGTALK_OAPI_URL,
 * DINGTALK_API_URL, DINGTALK_LOGIN_URL (the simulator's under `jit serve --sim` and in tests:
 * `loadApp(dir, { env: simulatorEnv(sim) })`). The runtime knows none of this: it hands elements the
 * app's environment (`app.env`), and DingTalk code reads its hosts here, normalised once, per app.
 */

/** Base URLs of the three DingTalk hosts, without a trailing slash. */
export interface DingTalkHosts {
  oapiUrl: string;
  apiUrl: string;
  loginUrl: string;
}

export const DEFAULT_DINGTALK_HOSTS: Readonly<DingTalkHosts> = Object.freeze({
  oapiUrl: 'https://oapi.dingtalk.com',
  apiUrl: 'https://api.dingtalk.com',
  loginUrl: 'https://login.dingtalk.com',
});

/** The environment variable naming each host. */
export const DINGTALK_HOST_VARIABLES: Readonly<Record<keyof DingTalkHosts, string>> = Object.freeze({
  oapiUrl: 'DINGTALK_OAPI_URL',
  apiUrl: 'DINGTALK_API_URL',
  loginUrl: 'DINGTALK_LOGIN_URL',
});

/** The one place a host URL is normalised: no trailing slash, so `${base}${path}` never doubles one. */
export function normaliseHostUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

/** `hosts` normalised (each URL without a trailing slash), frozen. */
export function normaliseDingTalkHosts(hosts: Readonly<DingTalkHosts>): Readonly<DingTalkHosts> {
  return Object.freeze({
    oapiUrl: normaliseHostUrl(hosts.oapiUrl),
    apiUrl: normaliseHostUrl(hosts.apiUrl),
    loginUrl: normaliseHostUrl(hosts.loginUrl),
  });
}

/** The hosts an environment names (an empty or unset variable: the real host). */
export function dingTalkHostsFromEnv(env: Readonly<Record<string, string | undefined>>): Readonly<DingTalkHosts> {
  const pick = (host: keyof DingTalkHosts) => env[DINGTALK_HOST_VARIABLES[host]] || DEFAULT_DINGTALK_HOSTS[host];
  return normaliseDingTalkHosts({ oapiUrl: pick('oapiUrl'), apiUrl: pick('apiUrl'), loginUrl: pick('loginUrl') });
}

/** What of an app the hosts are read from (an AppHandle has it). */
export interface AppWithEnv {
  readonly env: Readonly<Record<string, string | undefined>>;
}

const hostsByApp = new WeakMap<object, Readonly<DingTalkHosts>>();

/** The DingTalk hosts of a loaded app, read from its environment on first use and kept with the app. */
export function dingTalkHostsOf(app: AppWithEnv): Readonly<DingTalkHosts> {
  let hosts = hostsByApp.get(app);
  if (!hosts) {
    hosts = dingTalkHostsFromEnv(app.env);
    hostsByApp.set(app, hosts);
  }
  return hosts;
}
