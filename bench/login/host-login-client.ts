/**
 * Logs in through the host's HTTP routes, as the login pages do: workbench with one call
 * (loginByWorkbench), QR with two (getLoginConfig for a fresh state, then getLoginCode).
 *
 * Each login comes from its own client address (X-Forwarded-For; the host runs with --trust-proxy,
 * as behind a reverse proxy). The host limits login attempts per address, and a crowd of people
 * logging in comes from many addresses, not from one benchmark process.
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
  private logins = 0;

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
    const from = this.nextAddress();
    const data = await this.call<LoginData>('auths/loginTypes/DDInnerType/services/DDInnerAuthSvc/loginByWorkbench', { corpId, authCode, platform: 'mobile' }, from);
    expectLoggedIn(data);
  }

  async qrLogin(code: string): Promise<void> {
    const instancePath = LOGIN_INSTANCE.split('.').join('/');
    const from = this.nextAddress();
    // One browser per login: the state is bound to the browser key cookie the host sets.
    const cookies: string[] = [];
    const config = await this.call<{ state: string }>(`${instancePath}/getLoginConfig`, {}, from, cookies);
    const data = await this.call<LoginData>(`${instancePath}/getLoginCode`, { code, loginType: 'qr', platform: 'web', state: config.state }, from, cookies);
    expectLoggedIn(data);
  }

  close(): void {
    (this.http.defaults.httpAgent as http.Agent).destroy();
  }

  /** A distinct client address per login, in 10.0.0.0/8. */
  private nextAddress(): string {
    const n = ++this.logins;
    return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  }

  /** `cookies`: a browser's cookies (name=value), sent and kept when given. */
  private async call<T>(route: string, body: unknown, from: string, cookies?: string[]): Promise<T> {
    const headers: Record<string, string> = { 'x-forwarded-for': from };
    if (cookies?.length) headers.cookie = cookies.join('; ');
    const res = await this.http.post<Envelope<T>>(`${this.prefix}/${route}`, body, { headers });
    if (cookies) for (const line of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) cookies.push(line.split(';')[0]);
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
