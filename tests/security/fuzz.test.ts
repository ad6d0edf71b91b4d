/**
 * Hostile input: the table in fuzz-cases.ts (about a thousand requests) against a real
 * `jit serve` process. Each answer must be a 4xx with an error code from the documented set (JSON
 * routes) or a 4xx page that does not reflect markup (pages), never a 5xx; the 1 MB body is a 413.
 * Afterwards the process is alive and healthy, logged no error, wrote no row (row counts of every
 * table a login touches are unchanged) and the session opened before the fuzzing still works.
 * Run on a SQLite file and on PostgreSQL (which refuses NUL bytes in text: a classic 500).
 */
import { CORE_ERRORS } from '../../runtime/errors';
import { LOGIN_ERRORS } from '../../runtime/auth/login-error-codes';
import { DINGTALK_ERRORS } from '../../dingtalk/error-codes';
import { CORPS_ERRORS } from '../../elements/corps/error-codes';
import { countRows } from '../helpers/db-inspector';
import { createLoginDriver } from '../helpers/login-driver';
import { buildFuzzCases, type FuzzCase } from './fuzz-cases';
import { ClosedWithoutAnswer, rawRequest, type RawResponse } from '../helpers/raw-http';
import { demoCorpA, demoCorpB } from '../helpers/demo-org';
import { ACME_LOGIN, useLoginApp, acmeAndGlobexApp } from '../helpers/login-app';
import { useSimulator } from '../helpers/simulator';
import { describeEachDatabase } from '../helpers/each-database';

jest.setTimeout(300_000);

// Every error code the host's app registers (the runtime's, the login vocabulary, DingTalk's, the corps family's).
const KNOWN_CODES = new Set<string>([CORE_ERRORS, LOGIN_ERRORS, DINGTALK_ERRORS, CORPS_ERRORS].flatMap((table) => table.codes));

describeEachDatabase('hostile input to every route', (db) => {
  let sessionToken = '';
  // Needs no throttle: tests hostile input to every route, dozens of workbench codes a second.
  const sim = useSimulator({ seed: 5, qps: 'off' });
  const t = useLoginApp({ sim, app: acmeAndGlobexApp(demoCorpA, demoCorpB), tap: true, host: 'process', database: db, serveArgs: ['--trust-proxy'] });
  beforeAll(async () => {
    // One real login first, so there is a user, a binding and a session the fuzzing must not touch.
    const driver = createLoginDriver(t.sim, { corp: demoCorpA, instance: ACME_LOGIN }, { timeoutMs: 30_000 });
    const login = await driver.login(t.serve.url, demoCorpA.users[0], 'workbench', { 'x-forwarded-for': '10.250.0.1' });
    if (!login.ok) throw new Error(`baseline login failed: ${login.code}`);
    sessionToken = login.token!;
  });

  test('always a 4xx with an error code, never a 5xx, no row written, host healthy', async () => {
    const cases = buildFuzzCases(demoCorpA, ACME_LOGIN);
    expect(cases.length).toBeGreaterThan(800);
    const before = await countRows(t.databaseUrl);

    const violations: string[] = [];
    const statuses: Record<string, number> = {};
    for (const [index, fuzz] of cases.entries()) {
      // A client address per case (the host trusts X-Forwarded-For): the login limit is not what
      // is under test here, the route's own validation is.
      const headers = { ...fuzz.headers, 'x-forwarded-for': `10.${100 + (index >> 16)}.${(index >> 8) & 255}.${index & 255}` };
      let res: RawResponse;
      try {
        res = await rawRequest(t.serve.url, { method: fuzz.method, path: fuzz.path, headers, body: fuzz.body, holdBodyMs: fuzz.holdBodyMs });
      } catch (err) {
        if (err instanceof ClosedWithoutAnswer && fuzz.expect === 'clientErrorOrClosed') statuses.closed = (statuses.closed ?? 0) + 1;
        else violations.push(`${fuzz.name}: ${(err as Error).message}`);
        continue;
      }
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      const problem = judge(fuzz, res);
      if (problem) violations.push(`${fuzz.name}: ${problem}`);
    }
    expect(violations).toEqual([]);
    expect(statuses[413]).toBeGreaterThan(0);

    // Alive, healthy, nothing logged as an error, nothing written, the earlier session untouched.
    expect(t.serve.running()).toBe(true);
    expect((await fetch(`${t.serve.url}/healthz`)).status).toBe(200);
    const errorLines = t.serve.output().split('\n').filter((line) => line.includes('"level":"error"'));
    expect(errorLines).toEqual([]);
    expect(await countRows(t.databaseUrl)).toEqual(before);
    const me = await fetch(`${t.serve.url}/api/me`, { headers: { authorization: `Bearer ${sessionToken}` } });
    expect(me.status).toBe(200);
    process.stdout.write(`\nfuzz [${db.kind}]: ${cases.length} hostile requests, answers by status ${JSON.stringify(statuses)}\n`);
  });
});

/** What is wrong with this answer to this case, or null. */
function judge(fuzz: FuzzCase, res: RawResponse): string | null {
  if (res.status >= 500 || res.status === 0) return `status ${res.status}: ${res.body.slice(0, 300)}`;
  if (fuzz.status !== undefined && res.status !== fuzz.status) return `status ${res.status}, expected ${fuzz.status}: ${res.body.slice(0, 200)}`;
  const isPage = (res.headers['content-type'] ?? '').startsWith('text/html');
  if (isPage) {
    for (const markup of fuzz.mustNotReflect ?? []) if (res.body.includes(markup)) return `the page reflects ${JSON.stringify(markup)} unescaped`;
    if (res.status < 400 && fuzz.expect !== 'noServerError') return `status ${res.status} for a page that should refuse`;
    return null;
  }
  const envelope = res.json as { success?: unknown; error?: { code?: unknown; message?: unknown } } | undefined;
  if (res.status >= 400) {
    if (!envelope || envelope.success !== false) return `status ${res.status} without the failure envelope: ${res.body.slice(0, 200)}`;
    if (typeof envelope.error?.code !== 'string' || !KNOWN_CODES.has(envelope.error.code)) return `unknown error code ${JSON.stringify(envelope.error?.code)}`;
    if (typeof envelope.error.message !== 'string' || envelope.error.message === '') return 'an error without a message';
    return null;
  }
  if (fuzz.expect !== 'noServerError') return `status ${res.status}, expected a 4xx: ${res.body.slice(0, 200)}`;
  if (!envelope || envelope.success !== true) return `status ${res.status} without the success envelope`;
  return null;
}

