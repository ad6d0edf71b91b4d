/**
 * A corp's config: the two forms (naming a login, or bringing its own authConfig and binding), every
 * mistake as a diagnostic with file:line:col (neither, both, binding without authConfig, a reference to
 * nothing or to the wrong Type, two corps of one DingTalk organisation, a broken login), validity and
 * hot reload following the reference, and `jit create corps.<name> --auth <login>` moving the login's
 * `sync` out of its config. Real fixture folders (temporary copies where files are edited).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadApp } from '../../runtime/load-app';
import { loadDefinitions } from '../../runtime/loader';
import { formatDiagnostic, type Diagnostic } from '../../runtime/diagnostics';
import { silentLogger } from '../../runtime/logger';
import type { DDInnerCorpType } from '../../elements/corps/DDInnerType/DDInnerCorpType';
import { runCli } from '../cli/run-cli';
import { fixture } from '../loader/fixtures';
import { ACME_CORP, TWO_ORGS_APP } from './corps-fixture';
import { CORP_A, CORP_B } from '../helpers/demo-org';
import { openLoginApp, copyAppFolder, readJson, writeJson } from '../helpers/login-app';
import { useSimulator } from '../helpers/simulator';

const CORP_FILE = 'corps/acme/acme.json';

/** The diagnostics of an app as `jit validate` prints them, relative to the app folder. */
function problems(dir: string): string[] {
  return loadDefinitions(dir, { env: { DD_APP_SECRET_A: CORP_A.appSecret, DD_APP_SECRET_B: CORP_B.appSecret } }).diagnostics.map((d: Diagnostic) => `${d.severity} ${formatDiagnostic(d, dir)}`);
}

/** A copy of the two-orgs app whose corp config is `config` (written as given, one key per line). */
function withCorpConfig(config: Record<string, unknown>): { dir: string; remove(): void } {
  const copy = copyAppFolder(TWO_ORGS_APP);
  writeJson(path.join(copy.dir, CORP_FILE), config);
  return copy;
}

const OWN_AUTH = { appKey: CORP_B.appKey, appSecret: '{{DD_APP_SECRET_B}}', agentId: CORP_B.agentId, corpId: CORP_B.corpId };

describe('a corp config', () => {
  const sim = useSimulator();

  it('names a login (authFullName): valid, with the login as its reference', () => {
    expect(problems(TWO_ORGS_APP)).toEqual([]);
    const corp = loadDefinitions(TWO_ORGS_APP, { env: { DD_APP_SECRET_A: 'a'.repeat(64), DD_APP_SECRET_B: 'b'.repeat(64) } }).registry.get(ACME_CORP)!;
    expect(corp).toMatchObject({ valid: true, level: 'instance', typeChain: ['corps.DDInnerType', 'corps.Meta'] });
    expect(corp.references).toEqual([{ pointer: '/authFullName', target: 'auths.loginTypes.acmeLogin', type: 'auths.loginTypes.DDInnerType' }]);
    // Defaults filled in: events off, leavers kept, active.
    expect(corp.config).toMatchObject({ sync: { intervalMinutes: 60, events: false }, leavers: { disableUnmanaged: false }, isActive: true });
  });

  it('brings its own authConfig and binding (an organisation synced without DingTalk login), and syncs with its own client', async () => {
    const copy = withCorpConfig({ authConfig: OWN_AUTH, binding: { whenNotAssociated: 'createUser' }, sync: {} });
    // No login of this organisation in the app: the Globex login goes.
    fs.rmSync(path.join(copy.dir, 'auths/loginTypes/globexLogin'), { recursive: true });
    const env = await openLoginApp({ sim, app: copy.dir, database: 'sqlite' });
    try {
      expect(problems(copy.dir)).toEqual([]);
      const corp = env.app.getElement<DDInnerCorpType>(ACME_CORP);
      expect(corp.authFullName).toBeNull();
      expect(corp.corpId).toBe(CORP_B.corpId);
      expect(corp.getClient()).toBe(corp.getClient());
      const summary = await corp.syncCorp();
      expect(summary).toMatchObject({ corp: ACME_CORP, corpId: CORP_B.corpId, complete: true, members: { listed: 3, added: 3 } });
      expect(JSON.stringify(await corp.getCorpInfo())).not.toContain(CORP_B.appSecret);
    } finally {
      await env.close();
      copy.remove();
    }
  });

  it('with neither, both, or binding beside authFullName: CONFIG_INVALID at the place, saying which to keep', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ sync: { intervalMinutes: 60 } }, `error ${CORP_FILE}:1:1 CONFIG_INVALID The file needs one of "authFullName" or "authConfig" (a corp names the DingTalk login it syncs (authFullName), or brings its own DingTalk app credentials (authConfig) and binding rules): add one`],
      [{ authFullName: 'auths.loginTypes.acmeLogin', authConfig: OWN_AUTH }, `error ${CORP_FILE}:3:3 CONFIG_INVALID "authConfig" cannot be given together with "authFullName"`],
      [{ authFullName: 'auths.loginTypes.acmeLogin', binding: { whenNotAssociated: 'reject' } }, `error ${CORP_FILE}:3:3 CONFIG_INVALID "binding" goes with "authConfig", not with "authFullName"`],
    ];
    for (const [config, expected] of cases) {
      const copy = withCorpConfig(config);
      try {
        const found = problems(copy.dir);
        expect(found).toHaveLength(1);
        expect(found[0].startsWith(expected)).toBe(true);
      } finally {
        copy.remove();
      }
    }
  });

  it('naming nothing, or an element of the wrong Type: a diagnostic at the field (file:line:col)', () => {
    expect(problems(fixture('broken/reference-missing'))).toEqual([
      'error corps/acme/acme.json:2:19 REFERENCE_MISSING authFullName names "auths.loginTypes.acmeLogn", but there is no such element: did you mean auths.loginTypes.acmeLogin? Fix the name',
    ]);
    expect(problems(fixture('broken/reference-wrong-type'))).toEqual([
      'error corps/acme/acme.json:2:19 REFERENCE_WRONG_TYPE authFullName must name an Instance of auths.loginTypes.DDInnerType, but auths.loginTypes.DDInnerType.DDInnerAuthModel is an Instance of models.NormalType: name one of auths.loginTypes.acmeLogin',
    ]);
    const copy = withCorpConfig({ authFullName: 'auths.loginTypes.DDInnerType' });
    try {
      expect(problems(copy.dir)).toEqual([expect.stringContaining(`${CORP_FILE}:2:19 REFERENCE_WRONG_TYPE authFullName must name an Instance of auths.loginTypes.DDInnerType, but auths.loginTypes.DDInnerType is a type`)]);
    } finally {
      copy.remove();
    }
  });

  it('is invalid while the login it names is (validity follows the reference)', () => {
    const copy = copyAppFolder(TWO_ORGS_APP);
    try {
      const login = path.join(copy.dir, 'auths/loginTypes/acmeLogin/acmeLogin.json');
      const config = readJson(login) as { authConfig: Record<string, unknown> };
      writeJson(login, { ...config, authConfig: { ...config.authConfig, appKey: 'dingshort' } });
      const result = loadDefinitions(copy.dir, { env: { DD_APP_SECRET_A: CORP_A.appSecret, DD_APP_SECRET_B: CORP_B.appSecret } });
      expect(result.registry.get(ACME_CORP)!.valid).toBe(false);
      const broken = result.diagnostics.find((d) => d.fullName === ACME_CORP)!;
      expect(broken).toMatchObject({ code: 'DEFINITION_INVALID', file: path.join(copy.dir, CORP_FILE), line: 3, col: 19 });
      expect(broken.message).toMatch(/^corps\.acme cannot load because authFullName names auths\.loginTypes\.acmeLogin, which is invalid: fix that first \(auths\/loginTypes\/acmeLogin\/acmeLogin\.json:\d+:\d+ CONFIG_INVALID authConfig\.appKey/);
    } finally {
      copy.remove();
    }
  });

  it('one corp per DingTalk organisation: two active corps resolving to one corpId are both invalid', () => {
    const copy = copyAppFolder(TWO_ORGS_APP);
    try {
      // corps.acme names the Acme login; corps.again brings Acme's credentials itself.
      writeJson(path.join(copy.dir, 'corps/again/e.json'), { title: 'Acme again', type: 'corps.DDInnerType' });
      writeJson(path.join(copy.dir, 'corps/again/again.json'), { authConfig: { ...OWN_AUTH, appKey: CORP_A.appKey, appSecret: '{{DD_APP_SECRET_A}}', agentId: CORP_A.agentId, corpId: CORP_A.corpId } });
      expect(problems(copy.dir)).toEqual([
        `error corps/acme/acme.json:3:19 CONFIG_NOT_UNIQUE corpId "${CORP_A.corpId}" (through authFullName: auths.loginTypes.acmeLogin) is also used by corps.again (corps/again/again.json): corps.DDInnerType allows one active instance per corpId; set "isActive": false on all but one, remove the extra instances, or change the value`,
        `error corps/again/again.json:6:15 CONFIG_NOT_UNIQUE corpId "${CORP_A.corpId}" is also used by corps.acme (corps/acme/acme.json): corps.DDInnerType allows one active instance per corpId; set "isActive": false on all but one, remove the extra instances, or change the value`,
      ]);
      // Switched off, the second one no longer counts.
      writeJson(path.join(copy.dir, 'corps/again/again.json'), { ...readJson(path.join(copy.dir, 'corps/again/again.json')), isActive: false });
      expect(problems(copy.dir)).toEqual([]);
    } finally {
      copy.remove();
    }
  });

  it('hot reload rebuilds the corp when the login it names changes', async () => {
    const copy = copyAppFolder(TWO_ORGS_APP);
    const app = await loadApp(copy.dir, { database: false, env: { DD_APP_SECRET_A: CORP_A.appSecret, DD_APP_SECRET_B: CORP_B.appSecret }, logger: silentLogger });
    try {
      const before = app.getElement<DDInnerCorpType>(ACME_CORP);
      expect(before.bindingPolicy.whenNotAssociated).toBe('createUser');
      const login = path.join(copy.dir, 'auths/loginTypes/acmeLogin/acmeLogin.json');
      writeJson(login, { ...readJson(login), binding: { whenNotAssociated: 'reject' } });
      const result = await app.reload();
      expect(result.changed).toEqual(expect.arrayContaining(['auths.loginTypes.acmeLogin', ACME_CORP]));
      expect(result.changed).not.toContain('auths.loginTypes.globexLogin');
      const after = app.getElement<DDInnerCorpType>(ACME_CORP);
      expect(after).not.toBe(before);
      expect(after.bindingPolicy.whenNotAssociated).toBe('reject');
    } finally {
      await app.close();
      copy.remove();
    }
  });
});

describe('a login config that still carries sync', () => {
  it('is a warning naming the command that makes the corp', () => {
    expect(problems(fixture('broken/login-carries-sync'))).toEqual([
      'warning auths/loginTypes/acmeLogin/acmeLogin.json:8:3 CONFIG_DEPRECATED "sync" belongs in a corp now (org settings moved out of the login): run jit create corps.acmeLogin --type corps.DDInnerType --auth auths.loginTypes.acmeLogin, which moves it to corps/acmeLogin/acmeLogin.json. Until then this login\'s organisation is synced through an implied corp',
    ]);
  });

  it('jit create corps.<name> --type corps.DDInnerType --auth <login> makes the corp and moves sync into it', async () => {
    const copy = copyAppFolder(fixture('broken/login-carries-sync'));
    try {
      const loginFile = path.join(copy.dir, 'auths/loginTypes/acmeLogin/acmeLogin.json');
      const loginBefore = fs.readFileSync(loginFile, 'utf8');
      const run = await runCli('create', 'corps.acmeLogin', '--type', 'corps.DDInnerType', '--auth', 'auths.loginTypes.acmeLogin', '--app', copy.dir);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toContain('Moved "sync" from');
      const corpDir = path.join(copy.dir, 'corps/acmeLogin');
      expect(readJson(path.join(corpDir, 'e.json'))).toEqual({ $schema: expect.stringMatching(/schemas\/e\.schema\.json$/), title: 'acmeLogin', type: 'corps.DDInnerType' });
      expect(readJson(path.join(corpDir, 'acmeLogin.json'))).toEqual({
        $schema: expect.stringMatching(/schemas\/corps\.DDInnerType\.config\.json$/),
        authFullName: 'auths.loginTypes.acmeLogin',
        sync: { intervalMinutes: 60 },
        leavers: { disableUnmanaged: false },
        isActive: true,
      });
      // The login file loses exactly its sync lines (and the comma before them); the rest is as written.
      const after = fs.readFileSync(loginFile, 'utf8');
      expect(after).toBe(loginBefore.replace(',\n  "sync": { "intervalMinutes": 60 }', ''));
      expect(readJson(loginFile)).not.toHaveProperty('sync');
      expect(await runCli('validate', '--app', copy.dir)).toMatchObject({ code: 0, stdout: expect.stringMatching(/no problems\n$/) });
    } finally {
      copy.remove();
    }
  });

  it('jit create refuses an --auth that names no login, or a Type without a login field', async () => {
    const missing = await runCli('create', 'corps.x', '--type', 'corps.DDInnerType', '--auth', 'auths.loginTypes.acmeLogn', '--app', TWO_ORGS_APP);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toBe('error: No element auths.loginTypes.acmeLogn in this app: did you mean auths.loginTypes.acmeLogin? (instances of auths.loginTypes.DDInnerType: auths.loginTypes.acmeLogin, auths.loginTypes.globexLogin)\n');
    const wrong = await runCli('create', 'corps.x', '--type', 'corps.DDInnerType', '--auth', ACME_CORP, '--app', TWO_ORGS_APP);
    expect(wrong.stderr).toBe('error: --auth must name an Instance of auths.loginTypes.DDInnerType, but corps.acme is an Instance of corps.DDInnerType (instances of auths.loginTypes.DDInnerType: auths.loginTypes.acmeLogin, auths.loginTypes.globexLogin)\n');
    const notCorp = await runCli('create', 'auths.loginTypes.x', '--type', 'auths.loginTypes.DDInnerType', '--auth', 'auths.loginTypes.acmeLogin', '--app', TWO_ORGS_APP);
    expect(notCorp.stderr).toMatch(/^error: --auth applies to Types whose config names a login/);
    expect(fs.existsSync(path.join(TWO_ORGS_APP, 'corps/x'))).toBe(false);
  });

  it('without --auth, jit create scaffolds the own-credentials form', async () => {
    const copy = copyAppFolder(TWO_ORGS_APP);
    try {
      const run = await runCli('create', 'corps.globex', '--type', 'corps.DDInnerType', '--app-key', CORP_B.appKey, '--corp-id', CORP_B.corpId, '--agent-id', String(CORP_B.agentId), '--app', copy.dir);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('  GLOBEX_APP_SECRET=');
      const config = readJson(path.join(copy.dir, 'corps/globex/globex.json'));
      expect(config).toMatchObject({
        authConfig: { appKey: CORP_B.appKey, appSecret: '{{GLOBEX_APP_SECRET}}', agentId: CORP_B.agentId, corpId: CORP_B.corpId },
        binding: { autoBind: true, match: [], whenNotAssociated: 'createUser' },
      });
      expect(config).not.toHaveProperty('authFullName');
    } finally {
      copy.remove();
    }
  });
});
