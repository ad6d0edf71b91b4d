/**
 * Workbench logins from one client address (no X-Forwarded-For), as an office behind one NAT: each
 * login is one loginByWorkbench call. A login the host refuses with 503 DINGTALK_RATE_LIMITED (its
 * DingTalk call budget's queue for logins is full) is tried again after the Retry-After the host sent,
 * as a person pressing "try again" would; the refusals are counted, and the code is still unused
 * (the host refuses before calling DingTalk).
 */
import axios, { type AxiosInstance } from 'axios';
import * as http from 'http';
import { LOGIN_APP_ID } from '../login/login-app';

export interface RushLogin {
  /** Attempts refused before the one that logged in. */
  refused: number;
  /** Seconds the host asked to wait, per refusal. */
  retryAfter: number[];
}

export class RushClient {
  private readonly http: AxiosInstance;
  private readonly url: string;

  constructor(baseUrl: string, maxSockets: number) {
    const [orgId, appName] = LOGIN_APP_ID.split('.');
    this.url = `${baseUrl}/api/${orgId}/${appName}/auths/loginTypes/DDInnerType/services/DDInnerAuthSvc/loginByWorkbench`;
    this.http = axios.create({ httpAgent: new http.Agent({ keepAlive: true, maxSockets }), timeout: 60_000, validateStatus: () => true });
  }

  async login(corpId: string, authCode: string, maxAttempts = 20): Promise<RushLogin> {
    const out: RushLogin = { refused: 0, retryAfter: [] };
    for (let attempt = 1; ; attempt++) {
      const res = await this.http.post<{ success: boolean; data?: { status: string; token?: string }; error?: { code: string; message: string } }>(this.url, { corpId, authCode, platform: 'mobile' });
      if (res.data?.success && res.data.data?.status === 'LOGGED_IN' && res.data.data.token) return out;
      const code = res.data?.error?.code;
      if (res.status === 503 && code === 'DINGTALK_RATE_LIMITED' && attempt < maxAttempts) {
        const seconds = Number(res.headers['retry-after'] ?? 1);
        out.refused++;
        out.retryAfter.push(seconds);
        await new Promise((r) => setTimeout(r, seconds * 1000));
        continue;
      }
      throw new Error(`loginByWorkbench: HTTP ${res.status} ${code ?? ''} ${res.data?.error?.message ?? JSON.stringify(res.data).slice(0, 200)}`);
    }
  }

  close(): void {
    (this.http.defaults.httpAgent as http.Agent).destroy();
  }
}
