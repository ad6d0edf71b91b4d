import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MigrationInterface } from 'typeorm';
import { isJitError } from '../../runtime/errors';
import { openDatabase, parseDatabaseUrl, redactDatabaseUrl, resolveDatabaseUrl } from '../../runtime/db';

/** The JitError a call throws (or rejects with); fails the test when it does not throw one. */
async function errorOf(work: () => unknown): Promise<Error & { code?: string }> {
  try {
    await work();
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected an error');
}

describe('resolveDatabaseUrl', () => {
  const appDir = path.resolve('/srv/my-app');

  test('prefers the explicit URL, then JIT_DATABASE_URL, then <appDir>/.jit/app.db', () => {
    const env = { JIT_DATABASE_URL: 'postgres://jit@db.example:5432/hr' };
    expect(resolveDatabaseUrl(appDir, 'sqlite:/tmp/explicit.db', env)).toBe('sqlite:/tmp/explicit.db');
    expect(resolveDatabaseUrl(appDir, undefined, env)).toBe('postgres://jit@db.example:5432/hr');
    expect(resolveDatabaseUrl(appDir, undefined, {})).toBe(`sqlite:${path.join(appDir, '.jit', 'app.db')}`);
    expect(resolveDatabaseUrl(appDir, '  ', { JIT_DATABASE_URL: '' })).toBe(`sqlite:${path.join(appDir, '.jit', 'app.db')}`);
  });

  test('resolves a relative sqlite path against the current directory and keeps :memory:', () => {
    expect(resolveDatabaseUrl(appDir, 'sqlite:data/app.db', {})).toBe(`sqlite:${path.resolve('data/app.db')}`);
    expect(resolveDatabaseUrl(appDir, 'sqlite::memory:', {})).toBe('sqlite::memory:');
  });
});

describe('parseDatabaseUrl', () => {
  test('reads sqlite and postgres URLs', () => {
    expect(parseDatabaseUrl('sqlite:///var/lib/jit/app.db')).toEqual({ kind: 'sqlite', file: '/var/lib/jit/app.db', url: 'sqlite:/var/lib/jit/app.db' });
    expect(parseDatabaseUrl('postgresql://hr:pw@db.internal/hr_prod?sslmode=require')).toMatchObject({
      kind: 'postgres',
      host: 'db.internal',
      port: 5432,
      database: 'hr_prod',
      user: 'hr',
    });
  });

  test.each([
    ['an unsupported scheme', 'mysql://root:Hunter2-Password@db/hr', /Unsupported database URL scheme "mysql:"/],
    ['a postgres URL without a database', 'postgres://hr:Hunter2-Password@db.internal:5432', /names no database/],
    ['a malformed postgres URL', 'postgres://hr:Hunter2-Password@[bad', /malformed/],
    ['an empty URL', '   ', /empty/],
    ['a sqlite URL without a path', 'sqlite:', /no file path/],
  ])('rejects %s with CONFIG_INVALID and never echoes the password', async (_what, url, problem) => {
    const err = await errorOf(() => parseDatabaseUrl(url));
    expect(isJitError(err, 'CONFIG_INVALID')).toBe(true);
    expect(err.message).toMatch(problem);
    expect(err.message).toMatch(/sqlite:<path> or postgres:\/\//);
    expect(JSON.stringify({ message: err.message, details: (err as { details?: unknown }).details })).not.toContain('Hunter2-Password');
  });

  test('redacts the password when showing a URL', () => {
    expect(redactDatabaseUrl('postgres://hr:Hunter2-Password@db.internal:5432/hr')).toBe('postgres://hr:***@db.internal:5432/hr');
  });
});

describe('openDatabase on SQLite', () => {
  test('creates the folder and opens the file with WAL, a busy timeout and foreign keys on', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jit-db-'));
    const file = path.join(dir, 'nested', '.jit', 'app.db');
    const db = await openDatabase(`sqlite:${file}`, []);
    try {
      expect(fs.existsSync(file)).toBe(true);
      const pragma = async (name: string) => Object.values((await db.dataSource.query(`PRAGMA ${name}`))[0])[0];
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('foreign_keys')).toBe(1);
      expect(await pragma('busy_timeout')).toBe(5000);
      expect(db.displayUrl).toBe(`sqlite:${file}`);
    } finally {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('openDatabase errors', () => {
  test('an unreachable server is CONFIG_INVALID naming the database without its password', async () => {
    // Port 1 on the loopback refuses connections at once.
    const err = await errorOf(() => openDatabase('postgres://jit:Hunter2-Password@127.0.0.1:1/hr', []));
    expect(isJitError(err, 'CONFIG_INVALID')).toBe(true);
    expect(err.message).toContain('postgres://jit:***@127.0.0.1:1/hr');
    expect(err.message).not.toContain('Hunter2-Password');
  });

  test('contributions that clash or misname a migration are CONFIG_INVALID', async () => {
    const makeMigration = () =>
      class Orders1760000009999 implements MigrationInterface {
        async up(): Promise<void> {}
        async down(): Promise<void> {}
      };
    const first = { source: 'models.A', entities: [], migrations: [makeMigration()] };
    const second = { source: 'models.B', entities: [], migrations: [makeMigration()] };
    const clash = await errorOf(() => openDatabase('sqlite::memory:', [first, second]));
    expect(isJitError(clash, 'CONFIG_INVALID')).toBe(true);
    expect(clash.message).toMatch(/Orders1760000009999.*models\.A.*models\.B/);

    class CreateOrders implements MigrationInterface {
      async up(): Promise<void> {}
      async down(): Promise<void> {}
    }
    const misnamed = await errorOf(() => openDatabase('sqlite::memory:', [{ source: 'models.C', entities: [], migrations: [CreateOrders] }]));
    expect(isJitError(misnamed, 'CONFIG_INVALID')).toBe(true);
    expect(misnamed.message).toMatch(/CreateOrders of models\.C must end in a 13-digit timestamp/);
  });
});
