/**
 * Logs in through the host's HTTP routes, as the login pages do: workbench with one call
 * (loginByWorkbench), QR with two (getLoginConfig for a fresh state, then getLoginCode).
 */
import axios, { type AxiosInstance } from 'axios';
import * as http from 'http';
import { LOGIN_APP_ID, LOGIN_INSTANCE } from './login-app';

interface Envelope<T> {
  success: boolean;
  data?: T;
  error?: { code: string; message: string };
}

interface LoginData {
  status: string;
  token?: string;
}

export class HostLoginClient {
  private readonly http: AxiosInstance;
  private readonly prefix: string;

  constructor(baseUrl: string, maxSockets: number) {
    const [orgId, appName] = LOGIN_APP_ID.split('.');
    this.prefix = `${baseUrl}/api/${orgId}/${appName}`;
    this.http = axios.create({
      httpAgent: new http.Agent({ keepAlive: true, maxSockets }),
      timeout: 30_000,
      validateStatus: () => true,
    });
  }

  async workbenchLogin(corpId: string, authCode: string): Promise<void> {
    const data = await this.call<LoginData>('auths/loginTypes/DDInnerType/services/DDInnerAuthSvc/loginByWorkbench', { corpId, authCode, platform: 'mobile' });
    expectLoggedIn(data);
  }

  async qrLogin(code: string): Promise<void> {
    const instancePath = LOGIN_INSTANCE.split('.').join('/');
    const config = await this.call<{ state: string }>(`${instancePath}/getLoginConfig`, {});
    const data = await this.call<LoginData>(`${instancePath}/getLoginCode`, { code, loginType: 'qr', platform: 'web', state: config.state });
    expectLoggedIn(data);
  }

  close(): void {
    (this.http.defaults.httpAgent as http.Agent).destroy();
  }

  private async call<T>(route: string, body: unknown): Promise<T> {
    const res = await this.http.post<Envelope<T>>(`${this.prefix}/${route}`, body);
    if (!res.data?.success) {
      const error = res.data?.error;
      throw new Error(`POST ${route}: HTTP ${res.status} ${error ? `${error.code} ${error.message}` : JSON.stringify(res.data).slice(0, 200)}`);
    }
    return res.data.data as T;
  }
}

function expectLoggedIn(data: LoginData): void {
  if (data?.status !== 'LOGGED_IN' || !data.token) throw new Error(`login did not log in: ${JSON.stringify(data).slice(0, 200)}`);
}
