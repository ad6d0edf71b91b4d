/**
 * docs/app-authors.md §7b, "A login Type of your own", is a working app: this test writes the
 * section's example files (each code block after an `example-file` marker) into a fresh folder, checks
 * the module imports nothing but the package root (and Node's own modules), loads the app on a real
 * SQLite file and signs in through it, as a library call and over HTTP through the host.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadApp, type App } from '../../index';
import { createHost, type Host } from '../../host';
import { createLogger } from '../../runtime/logger';

const DOC = path.resolve(__dirname, '..', '..', 'docs', 'app-authors.md');
const INSTANCE = 'auths.loginTypes.staffPhone';
const API = '/api/acme/portal/auths/loginTypes/staffPhone';

/** The example's files, by path in the app folder, as the doc shows them. */
function exampleFiles(): Map<string, string> {
  const doc = fs.readFileSync(DOC, 'utf8');
  const start = doc.indexOf('\n## 7b. A login Type of your own');
  const end = doc.indexOf('\n## ', start + 1);
  expect(start).toBeGreaterThan(0);
  const section = doc.slice(start, end);
  const files = new Map<string, string>();
  for (const match of section.matchAll(/<!-- example-file: (\S+) -->\n```\w*\n([\s\S]*?)\n```/g)) files.set(match[1], match[2] + '\n');
  return files;
}

describe("the doc's own login Type", () => {
  let dir: string;
  let app: App;
  let host: Host;
  let url: string;
  const texted: Array<{ phone: string; code: string }> = [];
  const rawLogs: string[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jit-own-login-'));
    for (const [file, text] of exampleFiles()) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    app = await loadApp(dir, {
      logger: createLogger({ level: 'debug', sink: (line) => rawLogs.push(line) }),
      env: {},
      // The doc's app texts through its webhook; here the codes land in this list.
      verificationSender: { send: async (phone, code) => void texted.push({ phone, code }) },
    });
    host = createHost(app, { logger: app.logger });
    url = await host.listen(0, '127.0.0.1');
    await app.users.create({ username: 'li.lei', displayName: 'Li Lei', phone: '+86 138 0013 8000' });
  });

  afterAll(async () => {
    await host?.close();
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the section holds the whole app, and its module imports only jit-runtime (and node: modules)', () => {
    const files = exampleFiles();
    expect([...files.keys()].sort()).toEqual(['app.json', 'auths/loginTypes/PhoneCodeType/PhoneCodeType.js', 'auths/loginTypes/PhoneCodeType/e.json', 'auths/loginTypes/staffPhone/e.json']);
    const required = [...files.get('auths/loginTypes/PhoneCodeType/PhoneCodeType.js')!.matchAll(/require\(['"]([^'"]+)['"]\)/g)].map((m) => m[1]);
    expect(required.filter((name) => !name.startsWith('node:'))).toEqual(['jit-runtime']);
    expect(app.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(app.getDefinition(INSTANCE)).toMatchObject({ valid: true, level: 'instance', typeChain: ['auths.loginTypes.PhoneCodeType', 'auths.loginTypes.Meta'] });
  });

  test('as a library call: a texted code signs in, a session the app verifies', async () => {
    const login = app.getElement<{ requestCode(phone: string): Promise<{ status: string; ticket: string }>; login(ticket: string, code: string): Promise<{ status: string; token: string; userId: string; user: { username: string } }> }>(INSTANCE);
    const sent = await login.requestCode('138 0013 8000');
    expect(sent.status).toBe('CODE_SENT');
    const { code, phone } = texted.at(-1)!;
    expect(phone).toBe('13800138000'); // normalizePhone's form of a mainland number
    const result = await login.login(sent.ticket, code);
    expect(result).toMatchObject({ status: 'LOGGED_IN', user: { username: 'li.lei' } });
    expect(await app.sessions.verify(result.token)).toMatchObject({ userId: result.userId });
  });

  test('over HTTP: the code request, then the login sets the session cookie, and /api/me names the user', async () => {
    const asked = await post(`${API}/requestCode`, { phone: '+86 138 0013 8000' });
    expect(asked.status).toBe(200);
    const { ticket } = (await asked.json()).data as { ticket: string };
    const { code } = texted.at(-1)!;

    const signedIn = await post(`${API}/login`, { ticket, code });
    expect(signedIn.status).toBe(200);
    expect((await signedIn.json()).data).toMatchObject({ status: 'LOGGED_IN', user: { username: 'li.lei' } });
    const cookie = signedIn.headers.getSetCookie().find((c) => c.startsWith('jit_session='));
    expect(cookie).toBeDefined();
    const me = await fetch(`${url}/api/me`, { headers: { cookie: cookie!.split(';')[0] } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ success: true, data: { user: { username: 'li.lei' } } });
  });

  test('a wrong code is CREDENTIALS_INVALID and spends the ticket: the right code after it fails too', async () => {
    const asked = await post(`${API}/requestCode`, { phone: '+86 138 0013 8000' });
    const { ticket } = (await asked.json()).data as { ticket: string };
    const { code } = texted.at(-1)!;
    const wrong = await post(`${API}/login`, { ticket, code: code === '000000' ? '000001' : '000000' });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error.code).toBe('CREDENTIALS_INVALID');
    const late = await post(`${API}/login`, { ticket, code });
    expect((await late.json()).error.code).toBe('CREDENTIALS_INVALID');
  });

  test('an unknown phone gets the same answer and no text; no code is ever in the log', async () => {
    const before = texted.length;
    const asked = await post(`${API}/requestCode`, { phone: '+86 139 0000 0000' });
    expect(asked.status).toBe(200);
    expect((await asked.json()).data).toMatchObject({ status: 'CODE_SENT', ticket: expect.any(String) });
    expect(texted.length).toBe(before);
    const logs = rawLogs.join('\n');
    for (const { code } of texted) expect(logs).not.toContain(`"${code}"`);
  });

  async function post(route: string, body: unknown): Promise<Response> {
    return fetch(`${url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }
});
