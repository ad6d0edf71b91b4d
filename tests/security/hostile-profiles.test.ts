/**
 * Hostile input from the other side: DingTalk members whose own names, titles, job numbers and
 * mailboxes are injection-looking or odd strings (markup, SQL, templates, RTL, lone surrogates, NUL,
 * very long). Each logs in through a real `jit serve` process by both flows; every login works,
 * nothing answers 5xx, the pages that show the person (`/`, `/login`) escape what DingTalk said, and
 * the database holds one user and one binding per member. On a SQLite file and on PostgreSQL.
 */
import { generateOrg } from '../../sim';
import { inspectDatabase } from '../helpers/db-inspector';
import { createLoginDriver, type LoginKind } from '../helpers/login-driver';
import { memberAddress } from '../helpers/load-plan';
import { HOSTILE_STRINGS } from './fuzz-cases';
import { rawRequest } from '../helpers/raw-http';
import { useLoginApp } from '../helpers/login-app';
import { useSimulator } from '../helpers/simulator';
import { describeEachDatabase } from '../helpers/each-database';

jest.setTimeout(180_000);

const MARKUP = ['<script>alert(1)</script>', '<img src=x onerror'];

describeEachDatabase('DingTalk members with hostile profiles log in safely', (db) => {
  // One member per hostile string: it is their name, title and job number; every other one also
  // gets it as a mailbox local part.
  const org = generateOrg({ members: HOSTILE_STRINGS.length, seed: 44 });
  const corp = org.corps[0];
  corp.users.forEach((user, i) => {
    // The simulator (like DingTalk) keeps names and job numbers non-empty.
    const value = HOSTILE_STRINGS[i][1].trim() === '' ? `blank${HOSTILE_STRINGS[i][1]}` : HOSTILE_STRINGS[i][1];
    user.name = value;
    user.title = value;
    user.job_number = value.slice(0, 64);
    if (i % 2 === 0) user.email = `${value.slice(0, 40)}@corp.example.com`;
  });
  // Needs no throttle: tests hostile profiles; every member logs in by both flows as fast as it can.
  const sim = useSimulator({ org, seed: 44, qps: 'off' });
  const env = useLoginApp({ sim, app: { instances: [{ name: 'corpLogin', corp, whenNotAssociated: 'createUser' }] }, database: db, host: 'process', serveArgs: ['--trust-proxy'] });

  test('every member logs in by both flows, pages escape their profile, one user and binding each', async () => {
    const driver = createLoginDriver(sim, { corp, instance: 'auths.loginTypes.corpLogin' }, { timeoutMs: 60_000 });
    const problems: string[] = [];
    for (const [i, member] of corp.users.entries()) {
      const label = HOSTILE_STRINGS[i][0];
      for (const kind of ['workbench', 'qr'] as LoginKind[]) {
        const outcome = await driver.login(env.serve.url, member, kind, { 'x-forwarded-for': memberAddress(member) });
        if (!outcome.ok) {
          problems.push(`${label} (${kind}): ${outcome.status} ${outcome.code}`);
          continue;
        }
        for (const page of ['/', '/login']) {
          const res = await rawRequest(env.serve.url, { method: 'GET', path: page, headers: { cookie: `jit_session=${outcome.token}`, accept: 'text/html' } });
          if (res.status !== 200) problems.push(`${label}: GET ${page} answered ${res.status}`);
          for (const markup of MARKUP) if (res.body.includes(markup)) problems.push(`${label}: GET ${page} shows ${markup} unescaped`);
        }
        const me = await rawRequest(env.serve.url, { method: 'GET', path: '/api/me', headers: { authorization: `Bearer ${outcome.token}` } });
        if (me.status !== 200) problems.push(`${label}: /api/me answered ${me.status}`);
      }
    }
    expect(problems).toEqual([]);
    expect(env.serve.running()).toBe(true);
    expect(env.serve.output().split('\n').filter((line) => line.includes('"level":"error"'))).toEqual([]);

    const snapshot = await inspectDatabase(env.databaseUrl);
    expect(snapshot.problems).toEqual([]);
    expect(snapshot.bindings).toHaveLength(corp.users.length);
    expect(snapshot.users).toHaveLength(corp.users.length);
  });
});

