/**
 * The login benchmark's baseline: a bare client that makes only the DingTalk calls a login needs,
 * with no host and no database. Its throughput is what DingTalk's own latency allows, so the host's
 * throughput is judged against it.
 *
 * - workbench: getuserinfo (code -> userid) + user/get (member detail): 2 calls
 * - QR: userAccessToken + users/me + getbyunionid + user/get: 4 calls
 * - the app token is fetched once and cached (single-flight), unless `tokenPerLogin` is set: that is
 *   the naive client several peers are, fetching it again for every login.
 */
import axios, { type AxiosInstance } from 'axios';
import * as http from 'http';
import { ApiPacer } from '../lib/pacer';

export interface BareClientOptions {
  oapiUrl: string;
  apiUrl: string;
  appKey: string;
  appSecret: string;
  /** Sockets kept alive per host: the benchmark's concurrency. */
  maxSockets: number;
  /** The naive client: a fresh app token for every login. */
  tokenPerLogin?: boolean;
  /** Calls per second per API it allows itself (a token bucket per API), under DingTalk's per-app
   *  limit; unset: unpaced. */
  pacePerSecond?: number;
}

export interface BareLogin {
  userid: string;
  unionid: string;
}

export class BareDingTalkClient {
  private readonly http: AxiosInstance;
  private cachedToken?: Promise<string>;
  private readonly pacer?: ApiPacer;

  constructor(private readonly options: BareClientOptions) {
    this.http = axios.create({
      httpAgent: new http.Agent({ keepAlive: true, maxSockets: options.maxSockets }),
      timeout: 30_000,
      headers: { 'content-type': 'application/json' },
    });
    if (options.pacePerSecond) this.pacer = new ApiPacer(options.pacePerSecond);
  }

  private async pace(api: string): Promise<void> {
    await this.pacer?.take(api);
  }

  async workbenchLogin(code: string): Promise<BareLogin> {
    const token = await this.appToken();
    const info = await this.oapi<{ result: { userid: string; unionid: string } }>('/topapi/v2/user/getuserinfo', token, { code });
    const member = await this.oapi<{ result: { userid: string; unionid: string } }>('/topapi/v2/user/get', token, { userid: info.result.userid, language: 'zh_CN' });
    return { userid: member.result.userid, unionid: member.result.unionid };
  }

  async qrLogin(code: string): Promise<BareLogin> {
    const { appKey, appSecret, apiUrl } = this.options;
    await this.pace('userAccessToken');
    const userToken = await this.http.post<{ accessToken: string }>(`${apiUrl}/v1.0/oauth2/userAccessToken`, {
      clientId: appKey,
      clientSecret: appSecret,
      code,
      grantType: 'authorization_code',
    });
    await this.pace('users/me');
    const me = await this.http.get<{ unionId: string }>(`${apiUrl}/v1.0/contact/users/me`, {
      headers: { 'x-acs-dingtalk-access-token': userToken.data.accessToken },
    });
    const token = await this.appToken();
    const byUnion = await this.oapi<{ result: { userid: string } }>('/topapi/user/getbyunionid', token, { unionid: me.data.unionId });
    const member = await this.oapi<{ result: { userid: string; unionid: string } }>('/topapi/v2/user/get', token, { userid: byUnion.result.userid, language: 'zh_CN' });
    return { userid: member.result.userid, unionid: member.result.unionid };
  }

  close(): void {
    (this.http.defaults.httpAgent as http.Agent).destroy();
  }

  private appToken(): Promise<string> {
    if (this.options.tokenPerLogin) return this.fetchAppToken();
    // Single-flight: concurrent first logins share one request.
    this.cachedToken ??= this.fetchAppToken().catch((err: unknown) => {
      this.cachedToken = undefined;
      throw err;
    });
    return this.cachedToken;
  }

  private async fetchAppToken(): Promise<string> {
    const { appKey, appSecret, apiUrl } = this.options;
    await this.pace('accessToken');
    const res = await this.http.post<{ accessToken: string }>(`${apiUrl}/v1.0/oauth2/accessToken`, { appKey, appSecret });
    return res.data.accessToken;
  }

  /** An oapi call: token in the query, errors as HTTP 200 with errcode != 0. */
  private async oapi<T>(path: string, token: string, body: Record<string, unknown>): Promise<T> {
    await this.pace(path);
    const res = await this.http.post<T & { errcode: number; errmsg: string }>(`${this.options.oapiUrl}${path}`, body, {
      params: { access_token: token },
    });
    if (res.data.errcode !== 0) throw new Error(`${path}: errcode ${res.data.errcode} ${res.data.errmsg}`);
    return res.data;
  }
}
