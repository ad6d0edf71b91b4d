/**
 * The loader's baseline: the least any loader must do with the same files. Glob them with fast-glob,
 * read each one and JSON.parse it; no schemas, no type chains, no diagnostics.
 */
import fg from 'fast-glob';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../lib/paths';

/** The JSON files a load of `appDir` reads: the app's own and the platform app's (elements, schemas). */
export async function globAppFiles(appDir: string): Promise<string[]> {
  const [own, platform, schemas] = await Promise.all([
    fg('**/*.json', { cwd: appDir, absolute: true }),
    fg('**/*.json', { cwd: path.join(REPO_ROOT, 'elements'), absolute: true }),
    fg('*.json', { cwd: path.join(REPO_ROOT, 'schemas'), absolute: true }),
  ]);
  return [...own, ...platform, ...schemas];
}

/** Globs, reads and parses every file; returns the parsed documents so callers can keep them alive. */
export async function bareLoad(appDir: string): Promise<unknown[]> {
  const files = await globAppFiles(appDir);
  const docs: unknown[] = new Array(files.length);
  for (let i = 0; i < files.length; i++) docs[i] = JSON.parse(fs.readFileSync(files[i], 'utf8'));
  return docs;
}
