/** Org data: the demo org, loading/validating org files, and generateOrg. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateOrg, loadOrgFile, validateOrg } from '../../sim';
import { isJitError } from '../../runtime/errors';
import { appA, appB, corpA, corpB, demo } from './helpers';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jit-sim-org-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeOrg(name: string, content: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('the demo org', () => {
  it('holds the two corps and apps of the brief, with their exact credentials', () => {
    expect(corpA).toMatchObject({ corpId: 'ding5f1e0c2b9a7d4e3f8c6b1a0d2e4f6a8c', name: 'Acme Demo Corp' });
    expect(appA).toEqual({ appKey: 'dinga1b2c3d4e5f6g7h8', appSecret: 'kgPoYqnCDoYzBKbftfOoXTZhQ8stzhe6SVI34Zwh8Xms9bmOxojRlO8f2NxmZQqD', agentId: 3012345678 });
    expect(corpB).toMatchObject({ corpId: 'ding0a1b2c3d4e5f60718293a4b5c6d7e8f9', name: 'Other Corp' });
    expect(appB).toEqual({ appKey: 'dingz9y8x7w6v5u4t3s2', appSecret: 'GcwWdLLjTwr6ZQLikIubkNcFk2VUaIsdmk2Xty2Xa6BZNbrKIRaGSxoHYL9f6SN2', agentId: 3098765432 });
  });

  it('gives corp A a 3-level tree, members in two departments, and distinct unionids', () => {
    const parent = new Map(corpA.departments.map((d) => [d.dept_id, d.parent_id]));
    const depthOf = (id: number): number => (id === 1 ? 0 : 1 + depthOf(parent.get(id)!));
    expect(Math.max(...corpA.departments.map((d) => depthOf(d.dept_id)))).toBeGreaterThanOrEqual(3);
    expect(corpA.users.length).toBeGreaterThanOrEqual(8);
    expect(corpA.users.filter((u) => u.dept_id_list.length > 1).length).toBeGreaterThanOrEqual(2);
    const unionids = [...demo.corps.flatMap((c) => c.users.map((u) => u.unionid)), ...demo.outsiders!.map((o) => o.unionid)];
    expect(new Set(unionids).size).toBe(unionids.length);
    expect(corpB.users.length).toBeGreaterThanOrEqual(2);
    expect(demo.outsiders!.length).toBeGreaterThanOrEqual(1);
  });
});

describe('loadOrgFile / validateOrg', () => {
  it('loads a valid file', () => {
    const file = writeOrg('ok.json', demo);
    expect(loadOrgFile(file).corps).toHaveLength(2);
  });

  it('names the file and the problem: missing file, bad JSON, bad references', () => {
    const expectProblem = (fn: () => unknown, pattern: RegExp) => {
      try {
        fn();
        throw new Error('expected a failure');
      } catch (err) {
        expect(isJitError(err, 'CONFIG_INVALID')).toBe(true);
        expect((err as Error).message).toMatch(pattern);
      }
    };
    expectProblem(() => loadOrgFile(path.join(dir, 'missing.json')), /missing\.json: file not found/);
    expectProblem(() => loadOrgFile(writeOrg('bad.json', '{"corps": [')), /bad\.json: not valid JSON/);

    const broken = JSON.parse(JSON.stringify(demo));
    broken.corps[0].users[2].dept_id_list = [42];
    expectProblem(() => loadOrgFile(writeOrg('refs.json', broken)), /refs\.json: corps\[0\]\.users\[2\]\.dept_id_list\[0\]: no department 42/);

    const noRoot = JSON.parse(JSON.stringify(demo));
    noRoot.corps[1].departments = noRoot.corps[1].departments.filter((d: { dept_id: number }) => d.dept_id !== 1);
    expectProblem(() => validateOrg(noRoot, 'org.json'), /root department \(dept_id 1\) is missing/);

    const dupKey = JSON.parse(JSON.stringify(demo));
    dupKey.corps[1].apps[0].appKey = appA.appKey;
    expectProblem(() => validateOrg(dupKey), /appKey: "dinga1b2c3d4e5f6g7h8" is used by another app/);

    const memberOutsider = JSON.parse(JSON.stringify(demo));
    memberOutsider.outsiders[0].unionid = corpA.users[0].unionid;
    expectProblem(() => validateOrg(memberOutsider), /outsiders\[0\]\.unionid: .* is a member of a corp/);

    expectProblem(() => validateOrg([]), /top level must be an object/);
  });

  it('counts further problems in the message and lists them all in details', () => {
    const broken = JSON.parse(JSON.stringify(demo));
    delete broken.corps[0].name;
    broken.corps[0].users[0].hired_date = '2020-01-01';
    try {
      validateOrg(broken, 'x.json');
      throw new Error('expected a failure');
    } catch (err) {
      expect((err as Error).message).toMatch(/and 1 more problem/);
      expect((err as { details: { problems: string[] } }).details.problems).toEqual([
        'corps[0].name: must be a non-empty string',
        expect.stringMatching(/corps\[0\]\.users\[0\]\.hired_date: must be Unix milliseconds/),
      ]);
    }
  });
});

describe('generateOrg', () => {
  const options = { members: 2000, depth: 3, breadth: 4, multiDeptShare: 0.25, seed: 99 };

  it('is deterministic: the same options give the same org, another seed another', () => {
    expect(generateOrg(options)).toEqual(generateOrg(options));
    expect(generateOrg({ ...options, seed: 100 }).corps[0].users[5]).not.toEqual(generateOrg(options).corps[0].users[5]);
  });

  it('builds a valid org of the requested shape', () => {
    const org = validateOrg(generateOrg(options), 'generated');
    const corp = org.corps[0];
    expect(corp.users).toHaveLength(2000);
    expect(corp.departments).toHaveLength(1 + 4 + 16 + 64);
    const parent = new Map(corp.departments.map((d) => [d.dept_id, d.parent_id]));
    const depthOf = (id: number): number => (id === 1 ? 0 : 1 + depthOf(parent.get(id)!));
    expect(Math.max(...corp.departments.map((d) => depthOf(d.dept_id)))).toBe(3);
    const multi = corp.users.filter((u) => u.dept_id_list.length === 2).length;
    expect(multi).toBeGreaterThan(2000 * 0.15);
    expect(multi).toBeLessThan(2000 * 0.35);
    expect(new Set(corp.users.map((u) => u.unionid)).size).toBe(2000);
    expect(new Set(corp.users.map((u) => u.mobile)).size).toBe(2000);
    expect(corp.corpId).toMatch(/^ding[0-9a-f]{32}$/);
    expect(corp.apps[0].appKey).toMatch(/^ding[0-9a-f]{16}$/);
    expect(corp.apps[0].appSecret).toHaveLength(64);
    expect(org.outsiders!.length).toBeGreaterThan(0);
  });

  it('takes a corpId and app, and refuses nonsense options', () => {
    const org = generateOrg({ members: 10, seed: 1, corpId: corpA.corpId, app: appA });
    expect(org.corps[0].corpId).toBe(corpA.corpId);
    expect(org.corps[0].apps[0]).toEqual(appA);
    expect(() => generateOrg({ members: 0 })).toThrow(/members/);
    expect(() => generateOrg({ members: 5, depth: 0 })).toThrow(/depth/);
    expect(() => generateOrg({ members: 5, multiDeptShare: 2 })).toThrow(/multiDeptShare/);
  });
});
