/**
 * Paths of the fixture apps, temporary copies for tests that edit files, and the fixture secret.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const FIXTURE_APPS = path.join(REPO_ROOT, 'tests', 'fixtures', 'apps');
export const DEMO_APP = path.join(REPO_ROOT, 'apps', 'demo');
export const SCHEMAS = path.join(REPO_ROOT, 'schemas');

/** The 64-character appSecret the fixture apps' .env files set (not a real credential). */
export const FIXTURE_SECRET = 'fixtureSecretAfixtureSecretAfixtureSecretAfixtureSecretA01234567';
/** The secret the secret-literal fixture writes into its config. */
export const LITERAL_SECRET = 'fixtureSecretBfixtureSecretBfixtureSecretBfixtureSecretB01234567';
/** The demo app's secret (apps/demo/.env). */
export const DEMO_SECRET = 'kgPoYqnCDoYzBKbftfOoXTZhQ8stzhe6SVI34Zwh8Xms9bmOxojRlO8f2NxmZQqD';

export function fixture(...parts: string[]): string {
  return path.join(FIXTURE_APPS, ...parts);
}

/** A fresh folder under the OS temp dir; remove it with `removeTemp`. */
export function makeTemp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `jit-${prefix}-`));
}

export function removeTemp(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A temporary copy of a self-contained fixture app (one that extends no other fixture). */
export function copyFixture(name: string): string {
  const dir = path.join(makeTemp(name), name);
  fs.cpSync(fixture(name), dir, { recursive: true });
  return dir;
}

export function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

export function readJson<T = Record<string, unknown>>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

/** A valid DDInnerType business config (corp A of the demo org) with the secret from {{DD_APP_SECRET}}. */
export function ddConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    authConfig: {
      appKey: 'dinga1b2c3d4e5f6g7h8',
      appSecret: '{{DD_APP_SECRET}}',
      agentId: 3012345678,
      corpId: 'ding5f1e0c2b9a7d4e3f8c6b1a0d2e4f6a8c',
    },
    ...overrides,
  };
}
