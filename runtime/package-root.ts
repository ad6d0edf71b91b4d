/**
 * The jit-runtime package's own folder and version. Sources run from the package root's subfolders
 * (tests, ts-node) and the build from dist/'s, at different depths, so the root is found by walking
 * up to the package.json that names this package rather than from __dirname's depth.
 */
import * as fs from 'fs';
import * as path from 'path';

const PACKAGE_NAME = 'jit-runtime';

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no ${PACKAGE_NAME} package.json above ${start}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(__dirname);
export const PACKAGE_VERSION: string = (JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
