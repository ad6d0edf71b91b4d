/**
 * Every diagnostic code, from real fixture apps: the right code, file, line and column, a message
 * that says how to fix it, exactly one defect's worth of errors, and no secret in any of it.
 */
import * as path from 'path';
import { loadApp } from '../../runtime/load-app';
import { DIAGNOSTIC_CODES, type Diagnostic } from '../../runtime/diagnostics';
import { loadDefinitions } from '../../runtime/loader';
import { silentLogger } from '../../runtime/logger';
import { BROKEN_CORPUS, OTHER_CASES, type ProblemCase } from './problem-cases';
import { fixture, FIXTURE_SECRET, LITERAL_SECRET } from './fixtures';

const ALL_CASES = [...BROKEN_CORPUS, ...OTHER_CASES];

async function diagnosticsOf(problem: ProblemCase): Promise<readonly Diagnostic[]> {
  const dir = fixture(problem.app);
  if (!problem.needsBundles) return loadDefinitions(dir).diagnostics;
  const app = await loadApp(dir, { database: false, logger: silentLogger });
  app.verifyBundles();
  const diagnostics = app.diagnostics;
  await app.close();
  return diagnostics;
}

describe('diagnostics', () => {
  it('cover every diagnostic code with a fixture app', () => {
    const covered = new Set(ALL_CASES.map((c) => c.code));
    expect([...Object.keys(DIAGNOSTIC_CODES)].filter((code) => !covered.has(code as never))).toEqual([]);
  });

  it('the broken corpus has at least 15 apps, one defect each', () => {
    expect(new Set(BROKEN_CORPUS.map((c) => c.app)).size).toBeGreaterThanOrEqual(15);
  });

  it.each(ALL_CASES.map((c) => [c.app, c] as const))('%s: code, file, position and a message that says how to fix it', async (_name, problem) => {
    const diagnostics = await diagnosticsOf(problem);
    const expectedFile = path.join(fixture(problem.app), problem.file);
    const found = diagnostics.find((d) => d.code === problem.code && d.file === expectedFile);
    expect(found).toBeDefined();
    expect(found).toMatchObject({ line: problem.line, col: problem.col, severity: problem.severity ?? 'error' });
    expect(found!.message).toMatch(problem.message);

    // One defect: no other kind of error (a broken Type may also make what is built on it invalid).
    const errorCodes = new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.code));
    const allowed = new Set([problem.code, ...(problem.alsoCauses ?? [])]);
    if (problem.severity === 'warning') allowed.delete(problem.code);
    expect([...errorCodes].filter((code) => !allowed.has(code))).toEqual([]);
  });

  it('never contain a secret value', async () => {
    const everything = await Promise.all(ALL_CASES.map(diagnosticsOf));
    const text = JSON.stringify(everything);
    expect(text).not.toContain(FIXTURE_SECRET);
    expect(text).not.toContain(LITERAL_SECRET);
  });

  it('a "__proto__" key hides nothing: the element is invalid and the copied config carries no hidden prototype', () => {
    // Reproduces #20 item 4: `"__proto__": {"match": [...]}` used to become the prototype of `binding`,
    // so `jit validate` passed, `jit show` left it out, and the login used the hidden match rule.
    const result = loadDefinitions(fixture('broken/config-proto-key'));
    const element = result.registry.get('auths.loginTypes.login')!;
    expect(element.valid).toBe(false);
    const binding = (element.config as Record<string, unknown>).binding as Record<string, unknown>;
    expect(Object.getPrototypeOf(binding)).toBeNull();
    expect(binding.match).toEqual([]); // the schema's default, not the hidden rule
    expect(({} as Record<string, unknown>).match).toBeUndefined(); // Object.prototype untouched
  });

  it('a JSON syntax error in a config file is placed at the error, and the element is invalid', () => {
    const result = loadDefinitions(fixture('broken/json-syntax'));
    const element = result.registry.get('auths.loginTypes.login')!;
    expect(element.valid).toBe(false);
    expect(element.diagnostics.map((d) => d.code)).toEqual(['JSON_SYNTAX']);
  });

  it('an overridden element that may not be overridden keeps the parent definition and names both files', () => {
    const result = loadDefinitions(fixture('broken/override-protected'));
    const definition = result.registry.get('widgets.ProtectedType')!;
    expect(definition.provenance).toEqual({ definedBy: 'test.base', overrides: [] });
    expect(definition.valid).toBe(true);
    const forbidden = result.diagnostics.find((d) => d.code === 'OVERRIDE_FORBIDDEN')!;
    expect(forbidden.message).toContain(path.join(fixture('base-app'), 'widgets', 'ProtectedType', 'e.json'));
    expect(forbidden.related).toEqual([{ file: path.join(fixture('base-app'), 'widgets', 'ProtectedType', 'e.json'), line: 4, col: 21 }]);
  });

  it('duplicate active instances are both reported and both invalid; the rest of the app loads', () => {
    const result = loadDefinitions(fixture('broken/config-not-unique'));
    const duplicates = result.diagnostics.filter((d) => d.code === 'CONFIG_NOT_UNIQUE');
    expect(duplicates.map((d) => d.fullName).sort()).toEqual(['auths.loginTypes.loginA', 'auths.loginTypes.loginB']);
    expect(duplicates[0].related).toHaveLength(1);
    expect(result.registry.get('auths.loginTypes.loginA')!.valid).toBe(false);
    expect(result.registry.get('auths.loginTypes.loginB')!.valid).toBe(false);
    expect(result.registry.get('auths.loginTypes.DDInnerType')!.valid).toBe(true);
  });

  it('a type cycle is reported on every element in the loop', () => {
    const result = loadDefinitions(fixture('broken/type-cycle'));
    expect(result.diagnostics.filter((d) => d.code === 'TYPE_CYCLE').map((d) => d.fullName).sort()).toEqual(['widgets.AType', 'widgets.BType']);
  });

  it('an app without app.json still reports its elements, but cannot run', async () => {
    const result = loadDefinitions(fixture('broken/app-json-missing'));
    expect(result.fatal).toBe(true);
    expect(result.registry.get('notes.Meta')?.level).toBe('meta');
    await expect(loadApp(fixture('broken/app-json-missing'), { database: false, logger: silentLogger })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      details: { diagnostics: [expect.objectContaining({ code: 'APP_JSON_MISSING' })] },
    });
  });
});
