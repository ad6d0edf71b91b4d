/**
 * Discover stage: every folder holding an e.json in one app layer is an element; its fullName is
 * the folder path joined with dots. Folders that hold their own app.json are other apps (e.g. a
 * parent app kept inside this one) and are skipped, as are node_modules, .git and .jit.
 */
import * as fs from 'fs';
import * as path from 'path';
import fg from 'fast-glob';
import type { LoadContext } from './context';
import { fullNameFromPath, isValidSegment, suggestSegment } from './names';
import type { AppLayer, ElementDraft } from './types';

const IGNORED = ['**/node_modules/**', '**/.git/**', '**/.jit/**'];

export function discoverElements(layer: AppLayer, ctx: LoadContext): ElementDraft[] {
  if (!fs.statSync(layer.dir, { throwIfNoEntry: false })?.isDirectory()) return []; // reported as APP_JSON_MISSING
  const onDisk = fg.sync(['**/e.json', '*/**/app.json'], { cwd: layer.dir, ignore: IGNORED, onlyFiles: true });
  const found = [...new Set([...onDisk, ...draftElementFiles(layer.dir, ctx)])];
  const nestedApps = found.filter((f) => path.posix.basename(f) === 'app.json').map((f) => path.posix.dirname(f) + '/');
  const drafts: ElementDraft[] = [];
  for (const relative of found.sort()) {
    if (path.posix.basename(relative) !== 'e.json') continue;
    if (nestedApps.some((prefix) => relative.startsWith(prefix))) continue;
    const eJsonFile = path.join(layer.dir, relative);
    const relativeDir = path.posix.dirname(relative);
    if (relativeDir === '.') {
      ctx.report('FULLNAME_INVALID', { file: eJsonFile }, 'e.json sits directly in the app folder: an element is a folder, so move it into one (e.g. services/myService/e.json)');
      continue;
    }
    const badSegments = relativeDir.split('/').filter((segment) => !isValidSegment(segment));
    if (badSegments.length) {
      const fixes = badSegments.map((segment) => {
        const suggestion = suggestSegment(segment);
        return `"${segment}"${suggestion ? ` (e.g. ${suggestion})` : ''}`;
      });
      ctx.report(
        'FULLNAME_INVALID',
        { file: eJsonFile },
        `Folder ${fixes.join(', ')} cannot be part of a fullName: rename it to start with a letter and use only letters, digits and underscores`,
        { fullName: fullNameFromPath(relativeDir), diagnostics: [] },
      );
      continue;
    }
    drafts.push({
      fullName: fullNameFromPath(relativeDir),
      layer,
      dir: path.dirname(eJsonFile),
      eJsonFile,
      spec: { accessModifier: 'public', uniqueConfig: [], functionList: [] },
      overridden: [],
      typeChain: [],
      linked: false,
      secretPointers: [],
      references: [],
      diagnostics: [],
      valid: true,
    });
  }
  return drafts;
}

/** The e.json files of drafts being checked (see SourceFiles) inside this layer, relative, with forward slashes. */
function draftElementFiles(layerDir: string, ctx: LoadContext): string[] {
  return ctx.files
    .draftPaths()
    .filter((file) => path.basename(file) === 'e.json')
    .map((file) => path.relative(layerDir, file))
    .filter((relative) => relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative))
    .map((relative) => relative.split(path.sep).join('/'));
}
