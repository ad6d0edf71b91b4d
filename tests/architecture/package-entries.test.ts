/**
 * The package's entry points (#19 item 4): `jit-runtime` (the runtime and the elements),
 * `jit-runtime/dingtalk`, `jit-runtime/host` (fastify) and `jit-runtime/sim` (the simulator). An app
 * that only loads elements requires the root, which loads neither the host nor the simulator; and
 * each subpath resolves, from an installed copy of the packed package, to a built file with its types.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './import-graph';

const SUBPATHS = ['jit-runtime', 'jit-runtime/dingtalk', 'jit-runtime/host', 'jit-runtime/sim'] as const;

/**
 * What requiring `spec` (in a fresh Node process) loaded of the host and the simulator: fastify and
 * its plugins, chokidar, and any file of runtime/http or sim/ (by their place in the repo or in dist/).
 */
const PROBE = `
  const spec = process.argv[1];
  const loaded = require(spec);
  const heavy = new Set();
  for (const file of Object.keys(require.cache)) {
    const pkg = /node_modules[\\\\/]((?:@fastify[\\\\/])?fastify[^\\\\/]*|@fastify[\\\\/][^\\\\/]+|chokidar)[\\\\/]/.exec(file);
    if (pkg) heavy.add(pkg[1].split('\\\\').join('/'));
    const own = /(?:^|[\\\\/])(runtime[\\\\/]http|sim)[\\\\/]/.exec(file.slice(process.env.PROBE_ROOT.length));
    if (own) heavy.add(own[1].split('\\\\').join('/') + '/');
  }
  process.stdout.write(JSON.stringify({ heavy: [...heavy].sort(), names: Object.keys(loaded) }));`;

function probeSource(entry: string): { heavy: string[]; names: string[] } {
  const script = `require('ts-node').register({ transpileOnly: true });\n${PROBE}`;
  return JSON.parse(
    execFileSync(process.execPath, ['-e', script, entry], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, PROBE_ROOT: REPO_ROOT } }),
  ) as { heavy: string[]; names: string[] };
}

describe('the package root', () => {
  test('loads neither the host (fastify, chokidar, runtime/http) nor the simulator', () => {
    const root = probeSource('./index.ts');
    expect(root.heavy).toEqual([]);
    expect(root.names).toEqual(expect.arrayContaining(['loadApp', 'Element', 'DDInnerType', 'PasswordType', 'openSession']));
    expect(root.names).not.toContain('createHost');
    expect(root.names).not.toContain('startSimulator');
  });

  test('the host and the simulator entries do load them (the check above can see a load)', () => {
    const host = probeSource('./host.ts');
    expect(host.heavy).toEqual(expect.arrayContaining(['fastify', 'chokidar', 'runtime/http/']));
    expect(host.names).toEqual(expect.arrayContaining(['createHost', 'watchApp', 'DINGTALK_SCRIPTS']));
    const sim = probeSource('./sim/index.ts');
    expect(sim.heavy).toContain('sim/');
    expect(sim.names).toEqual(expect.arrayContaining(['startSimulator', 'connectSimulator', 'generateOrg', 'loadOrgFile']));
  });
});

describe('the packed package', () => {
  let work: string;
  let pkgDir: string;
  let appDir: string;

  beforeAll(() => {
    // Built as the package builds (tsconfig.build.json, then scripts/copy-assets.js), entries only,
    // into a staging copy of the package: the worktree's own dist/ is left alone. Packed with npm (its "files"), and unpacked
    // into an app's node_modules as an install from the tarball would (dependencies: the repo's,
    // through NODE_PATH, so nothing is fetched).
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'jit-pack-'));
    const stage = path.join(work, 'stage');
    fs.mkdirSync(stage);
    fs.copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(stage, 'package.json'));
    // The package's other "files" (element folders, schemas, the simulator's orgs, the demo app) as they are.
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { files: string[] };
    for (const entry of manifest.files.filter((f) => f !== 'dist')) fs.cpSync(path.join(REPO_ROOT, entry), path.join(stage, entry), { recursive: true });
    const tsconfig = path.join(work, 'tsconfig.json');
    fs.writeFileSync(
      tsconfig,
      JSON.stringify({
        extends: path.join(REPO_ROOT, 'tsconfig.build.json'),
        compilerOptions: { rootDir: REPO_ROOT, outDir: path.join(stage, 'dist'), sourceMap: false, typeRoots: [path.join(REPO_ROOT, 'node_modules', '@types')] },
        include: [],
        files: ['index.ts', 'host.ts', 'sim/index.ts', 'dingtalk/index.ts'].map((f) => path.join(REPO_ROOT, f)),
      }),
    );
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', tsconfig], { cwd: REPO_ROOT, stdio: 'pipe' });
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'copy-assets.js'), path.join(stage, 'dist')], { cwd: REPO_ROOT, stdio: 'pipe' });
    const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: stage, encoding: 'utf8', env: { ...process.env, npm_config_offline: 'true' } })) as Array<{ filename: string }>;
    appDir = path.join(work, 'app');
    pkgDir = path.join(appDir, 'node_modules', 'jit-runtime');
    fs.mkdirSync(pkgDir, { recursive: true });
    execFileSync('tar', ['-xzf', path.join(work, packed[0].filename), '-C', pkgDir, '--strip-components=1']);
  }, 300_000);

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  function probeInstalled(spec: string): { heavy: string[]; names: string[] } {
    return JSON.parse(
      execFileSync(process.execPath, ['-e', PROBE, spec], { cwd: appDir, encoding: 'utf8', env: { ...process.env, NODE_PATH: path.join(REPO_ROOT, 'node_modules'), PROBE_ROOT: pkgDir } }),
    ) as { heavy: string[]; names: string[] };
  }

  test('each subpath resolves to its built file, with its type declarations beside it', () => {
    const script = `process.stdout.write(JSON.stringify(${JSON.stringify(SUBPATHS)}.map((s) => require.resolve(s))))`;
    const resolved = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: appDir, encoding: 'utf8' })) as string[];
    expect(resolved.map((file) => path.relative(pkgDir, file).split(path.sep).join('/'))).toEqual([
      'dist/index.js',
      'dist/dingtalk/index.js',
      'dist/host.js',
      'dist/sim/index.js',
    ]);
    const manifest = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { exports: Record<string, { types?: string }> };
    for (const entry of Object.values(manifest.exports)) {
      if (typeof entry === 'object' && entry.types) expect(fs.existsSync(path.join(pkgDir, entry.types))).toBe(true);
    }
  });

  test('a file past the entry points is not importable (the exports map keeps the inside private)', () => {
    const script = `try { require.resolve('jit-runtime/dist/runtime/app.js'); process.stdout.write('resolved'); } catch (err) { process.stdout.write(err.code); }`;
    expect(execFileSync(process.execPath, ['-e', script], { cwd: appDir, encoding: 'utf8' })).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  test('the installed root loads neither the host nor the simulator; the subpaths hold them', () => {
    const root = probeInstalled('jit-runtime');
    expect(root.heavy).toEqual([]);
    expect(root.names).toEqual(expect.arrayContaining(['loadApp', 'Element', 'DDInnerType']));
    expect(probeInstalled('jit-runtime/host').names).toEqual(expect.arrayContaining(['createHost', 'watchApp']));
    expect(probeInstalled('jit-runtime/host').heavy).toContain('fastify');
    expect(probeInstalled('jit-runtime/sim').names).toEqual(expect.arrayContaining(['startSimulator', 'connectSimulator']));
    expect(probeInstalled('jit-runtime/dingtalk').names).toEqual(expect.arrayContaining(['DDInnerClient', 'DINGTALK_LOGIN_TYPE']));
  });
});
