/**
 * The login host's pages and the front-end stand-ins over HTTP (docs/dingtalk-facts.md §3a, §3b):
 * scripts served as JavaScript, the QR frame's chooser, the full-page /oauth2/auth redirect flow.
 */
import { appA, corpA, corpB, http, memberOf, outsider, userToken } from './helpers';
import { useSimulator } from '../helpers/simulator';

const sim = useSimulator();

const REDIRECT = 'http://localhost:3000/login/callback/auths.loginTypes.testDDLogin';
/** What the product's login page sends: scope `openid corpid` with the corpId and an org_type that is not `management`. */
const loginParams = (extra: Record<string, string> = {}): Record<string, string> => ({
  redirect_uri: REDIRECT,
  response_type: 'code',
  client_id: appA.appKey,
  scope: 'openid corpid',
  prompt: 'consent',
  state: 'st-1',
  corpId: corpA.corpId,
  org_type: 'all',
  ...extra,
});
const loginQuery = (extra: Record<string, string> = {}) => new URLSearchParams(loginParams(extra)).toString();
const without = (name: string, extra: Record<string, string> = {}) => {
  const params = loginParams(extra);
  delete params[name];
  return new URLSearchParams(params).toString();
};

describe('stand-in scripts', () => {
  it.each(['ddlogin.js', 'dingtalk.js'])('serves /standins/%s as JavaScript with CORS *', async (name) => {
    const res = await http(sim.url, 'GET', `/standins/${name}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/javascript/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.text).toContain(name === 'ddlogin.js' ? 'window.DTFrameLogin' : 'window.dd =');
  });

  it('answers an unknown stand-in with 404', async () => {
    expect((await http(sim.url, 'GET', '/standins/other.js')).status).toBe(404);
  });
});

describe('GET /login/qr-frame', () => {
  it('lists the corp members as "Scan as" buttons and everyone else under "Not in this organisation"', async () => {
    const res = await http(sim.loginUrl, 'GET', `/login/qr-frame?${loginQuery()}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const [members, others] = res.text.split('Not in this organisation');
    for (const user of corpA.users) expect(members).toContain(`value="${user.unionid}">Scan as ${user.name}</button>`);
    for (const user of corpB.users) expect(others).toContain(`Scan as ${user.name}`);
    expect(others).toContain(`Scan as ${outsider.name}`);
    expect(res.text).not.toMatch(/<script[^>]+src=|<link[^>]+href=/); // no external resources
    expect(res.text).not.toContain(appA.appSecret);
  });

  it('posts a scan result page that hands the authCode to the embedding window', async () => {
    const zhangsan = memberOf(corpA, 'zhangsan');
    const res = await http(sim.loginUrl, 'POST', '/login/qr-frame/scan', {
      form: Object.fromEntries([...new URLSearchParams(loginQuery()), ['unionid', zhangsan.unionid]]),
    });
    expect(res.status).toBe(200);
    const match = /parent\.postMessage\((\{.*?\}), "([^"]+)"\)/.exec(res.text);
    expect(match).not.toBeNull();
    const message = JSON.parse(match![1]);
    expect(match![2]).toBe('http://localhost:3000');
    expect(message).toMatchObject({ type: 'jit-sim-login', state: 'st-1' });
    const redirectUrl = new URL(message.redirectUrl);
    expect(redirectUrl.origin + redirectUrl.pathname).toBe(REDIRECT);
    expect(redirectUrl.searchParams.get('authCode')).toBe(message.authCode);
    expect(redirectUrl.searchParams.get('state')).toBe('st-1');
    // scope "openid corpid": the code carries the person's organisation.
    const token = await userToken(sim.apiUrl, message.authCode);
    expect(token.body.corpId).toBe(corpA.corpId);
  });

  it('reports an unknown client_id to the embedding window as an error', async () => {
    const res = await http(sim.loginUrl, 'GET', `/login/qr-frame?${loginQuery({ client_id: 'dingunknown000000000' })}`);
    expect(res.status).toBe(400);
    expect(res.text).toContain('"type":"jit-sim-login-error"');
    expect(res.text).toContain('dingunknown000000000');
  });

  it('accepts a redirect_uri URL-encoded once more, as DTFrameLogin callers pass it', async () => {
    const res = await http(sim.loginUrl, 'GET', `/login/qr-frame?${loginQuery({ redirect_uri: encodeURIComponent(REDIRECT) })}`);
    expect(res.status).toBe(200);
  });
});

describe('GET /oauth2/auth (full-page flow)', () => {
  it('shows the chooser, then redirects to redirect_uri with authCode, code and state', async () => {
    const page = await http(sim.loginUrl, 'GET', `/oauth2/auth?${loginQuery({ scope: 'openid' })}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('action="/oauth2/auth/consent"');
    expect(page.text).toContain('>Cancel</button>');

    const lisi = memberOf(corpA, 'lisi');
    const res = await http(sim.loginUrl, 'POST', '/oauth2/auth/consent', {
      form: Object.fromEntries([...new URLSearchParams(loginQuery({ scope: 'openid' })), ['unionid', lisi.unionid]]),
    });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(REDIRECT);
    const code = location.searchParams.get('authCode')!;
    expect(location.searchParams.get('code')).toBe(code);
    expect(location.searchParams.get('state')).toBe('st-1');
    // scope "openid": no corpId in the token answer.
    const token = await userToken(sim.apiUrl, code);
    expect(token.status).toBe(200);
    expect(token.body).not.toHaveProperty('corpId');
  });

  it('Cancel redirects with error=access_denied and the state', async () => {
    const res = await http(sim.loginUrl, 'POST', '/oauth2/auth/consent', { form: Object.fromEntries([...new URLSearchParams(loginQuery()), ['cancel', '1']]) });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('st-1');
    expect(location.searchParams.has('authCode')).toBe(false);
  });

  it('scanning as a member of another corp under scope corpid carries that corp (for CORP_MISMATCH)', async () => {
    const sunqi = memberOf(corpB, 'sunqi');
    const res = await http(sim.loginUrl, 'POST', '/oauth2/auth/consent', {
      form: Object.fromEntries([...new URLSearchParams(loginQuery()), ['unionid', sunqi.unionid]]),
    });
    const code = new URL(res.headers.get('location')!).searchParams.get('authCode')!;
    expect((await userToken(sim.apiUrl, code)).body.corpId).toBe(corpB.corpId);
  });

  it('refuses bad parameters with a readable 400 page', async () => {
    const bad: Array<Record<string, string>> = [
      { client_id: 'dingnope' },
      { redirect_uri: 'not a url' },
      { response_type: 'token' },
      { scope: 'snsapi_login' },
      { scope: 'openid,corpid' },
      { scope: 'corpid' },
      { prompt: 'none' },
    ];
    for (const extra of bad) {
      const res = await http(sim.loginUrl, 'GET', `/oauth2/auth?${loginQuery(extra)}`);
      expect(res.status).toBe(400);
      expect(res.text).toContain('role="alert"');
    }
  });
});

/**
 * docs/dingtalk-facts.md §3a (the /oauth2/auth table): redirect_uri, response_type (code), client_id,
 * scope (exactly "openid" or "openid corpid") and prompt (consent) are required. §3b (DTFrameLogin):
 * "if scope is `openid corpid`, then org_type and corpId are required" ("必传，否则无法成功登录"); the
 * authorize page lists both as optional (§11.8), so only the frame requires them.
 */
describe('required login parameters (§3a, §3b)', () => {
  const pages = [
    ['the QR frame', '/login/qr-frame'],
    ['the full page', '/oauth2/auth'],
  ] as const;

  describe.each(pages)('%s', (_name, path) => {
    it.each(['redirect_uri', 'response_type', 'client_id', 'scope', 'prompt'])('refuses a request without %s, naming it', async (name) => {
      const res = await http(sim.loginUrl, 'GET', `${path}?${without(name)}`);
      expect(res.status).toBe(400);
      expect(res.text).toContain(`缺少参数 ${name}`);
      expect(res.text).not.toContain('Scan as');
    });

    it.each(['corpId', 'org_type'])('the frame refuses scope "openid corpid" without %s; the full page takes it', async (name) => {
      const res = await http(sim.loginUrl, 'GET', `${path}?${without(name)}`);
      if (path === '/login/qr-frame') {
        expect(res.status).toBe(400);
        expect(res.text).toContain(`缺少参数 ${name}`);
      } else {
        expect(res.status).toBe(200);
        expect(res.text).toContain('Scan as');
      }
    });

    it('takes scope "openid" without corpId or org_type', async () => {
      const params = loginParams({ scope: 'openid' });
      delete params.corpId;
      delete params.org_type;
      expect((await http(sim.loginUrl, 'GET', `${path}?${new URLSearchParams(params)}`)).status).toBe(200);
    });

    it('takes "openid corpid" sent as openid%20corpid or openid+corpid', async () => {
      const rest = loginQuery().replace(/(^|&)scope=[^&]*/, '');
      for (const scope of ['openid%20corpid', 'openid+corpid']) expect((await http(sim.loginUrl, 'GET', `${path}?scope=${scope}&${rest}`)).status).toBe(200);
    });
  });

  it('tells the embedding window of a refused frame (errorCbk gets the reason)', async () => {
    const res = await http(sim.loginUrl, 'GET', `/login/qr-frame?${without('prompt')}`);
    expect(res.text).toContain('"type":"jit-sim-login-error"');
    expect(res.text).toContain('prompt is required');
  });

  // §3a: 'org_type: management: show only orgs the user administers'. DECISIONS #18: never send it,
  // it locks out every ordinary employee; the simulator shows why.
  it('with org_type=management, an ordinary member cannot finish; an administrator can', async () => {
    const lisi = memberOf(corpA, 'lisi');
    expect(lisi.admin ?? false).toBe(false);
    const refused = await http(sim.loginUrl, 'POST', '/oauth2/auth/consent', {
      form: { ...loginParams({ org_type: 'management' }), unionid: lisi.unionid },
    });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('org_type=management');
    expect(refused.headers.get('location')).toBeNull();
    const frame = await http(sim.loginUrl, 'POST', '/login/qr-frame/scan', { form: { ...loginParams({ org_type: 'management' }), unionid: lisi.unionid } });
    expect(frame.text).toContain('"type":"jit-sim-login-error"');

    const zhangsan = memberOf(corpA, 'zhangsan');
    expect(zhangsan.admin).toBe(true);
    const ok = await http(sim.loginUrl, 'POST', '/oauth2/auth/consent', { form: { ...loginParams({ org_type: 'management' }), unionid: zhangsan.unionid } });
    expect(ok.status).toBe(302);
    const code = new URL(ok.headers.get('location')!).searchParams.get('authCode')!;
    expect((await userToken(sim.apiUrl, code)).body.corpId).toBe(corpA.corpId);
  });
});
