/**
 * Layer-apps stage, part one: the stack of apps whose elements make up this app. The platform app
 * (the package's elements/ folder, jit.platform) comes first, then each app named in `extends`
 * (depth first, parents before children, in list order, each app once), then the app itself.
 * Later layers override earlier ones.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { LoadContext, Place } from './context';
import type { AppLayer } from './types';
import { validateAppJson } from './validate';
import { DEFAULT_APP_SETTINGS, readAppSettings } from '../settings';

/** The platform app shipped with the package (source tree and dist/ alike). */
export const PLATFORM_APP_DIR = path.resolve(__dirname, '..', '..', 'elements');

export interface AppStack {
  /** The app being loaded (its appId falls back to the folder name when app.json cannot say). */
  app: AppLayer;
  /** Platform first, the app itself last. */
  layers: AppLayer[];
  /** The app itself has no usable app.json (missing, unreadable, or no valid appId): it cannot run. */
  fatal: boolean;
}

interface AppFile {
  layer: AppLayer;
  extends: string[];
  /** appId present and valid. */
  identified: boolean;
}

export function resolveAppStack(appDir: string, ctx: LoadContext): AppStack {
  const layers: AppLayer[] = [];
  const placed = new Set<string>();
  const platformDir = realDir(PLATFORM_APP_DIR);
  const platform = readAppFile(platformDir, ctx, true);
  if (platform) {
    layers.push(platform.layer);
    placed.add(platformDir);
  }

  const rootDir = realDir(appDir);
  if (rootDir === platformDir && platform) return { app: platform.layer, layers, fatal: !platform.identified };

  let root: AppFile | undefined;
  const visit = (dir: string, chain: Array<{ dir: string; appId: string }>, via?: Place): void => {
    const looped = chain.findIndex((entry) => entry.dir === dir);
    if (looped >= 0 && via) {
      const cycle = [...chain.slice(looped).map((entry) => entry.appId), chain[looped].appId].join(' -> ');
      ctx.report('APP_EXTENDS_CYCLE', via, `Apps extend each other in a cycle (${cycle}): remove this "extends" entry or the one that leads back here`);
      return;
    }
    if (placed.has(dir)) return;
    if (via && !fs.existsSync(path.join(dir, 'app.json'))) {
      const reason = fs.existsSync(dir) ? `${ctx.displayPath(dir)} has no app.json` : `${ctx.displayPath(dir)} does not exist`;
      ctx.report('APP_EXTENDS_MISSING', via, `"extends" names an app that cannot be found: ${reason}. Entries are folder paths relative to the app that lists them`);
      return;
    }
    const app = readAppFile(dir, ctx, false);
    if (!via) root = app;
    if (!app) return;
    chain.push({ dir, appId: app.layer.appId });
    app.extends.forEach((entry, index) => {
      visit(realDir(path.resolve(dir, entry)), chain, { file: app.layer.appJsonFile, pointer: `/extends/${index}` });
    });
    chain.pop();
    placed.add(dir);
    layers.push(app.layer);
  };
  visit(rootDir, []);

  const fallback: AppLayer = { appId: path.basename(rootDir), title: path.basename(rootDir), dir: rootDir, appJsonFile: path.join(rootDir, 'app.json'), isPlatform: false, settings: DEFAULT_APP_SETTINGS };
  if (!root) layers.push(fallback);
  return { app: root?.layer ?? fallback, layers, fatal: !root?.identified };
}

function readAppFile(dir: string, ctx: LoadContext, isPlatform: boolean): AppFile | undefined {
  const file = path.join(dir, 'app.json');
  const read = ctx.readJson(file);
  if (read.status === 'missing') {
    const stat = fs.statSync(dir, { throwIfNoEntry: false });
    const where = !stat ? `${dir} does not exist` : stat.isDirectory() ? `No app.json in ${dir}` : `${dir} is a file, not an app folder`;
    const enclosing = enclosingApp(dir);
    const fix = enclosing ? `this folder is inside the app ${enclosing}: point at that folder instead` : 'run `jit init` there, or create app.json with "appId" (e.g. "acme.hr") and "title"';
    ctx.report('APP_JSON_MISSING', { file }, `${where}: ${fix}`);
    return undefined;
  }
  if (read.status !== 'ok') return undefined;

  const issues = validateAppJson(read.data);
  for (const issue of issues) ctx.report('APP_JSON_INVALID', { file, pointer: issue.pointer, part: issue.part }, issue.message);
  const data = (read.data && typeof read.data === 'object' && !Array.isArray(read.data) ? read.data : {}) as Record<string, unknown>;
  const appId = typeof data.appId === 'string' && data.appId ? data.appId : path.basename(dir);
  const layer: AppLayer = {
    appId,
    title: typeof data.title === 'string' && data.title ? data.title : appId,
    ...(typeof data.version === 'string' ? { version: data.version } : {}),
    dir,
    appJsonFile: file,
    isPlatform,
    settings: readAppSettings(data),
  };
  const parents = Array.isArray(data.extends) ? data.extends.filter((e): e is string => typeof e === 'string' && e !== '') : [];
  return { layer, extends: parents, identified: typeof data.appId === 'string' && !issues.some((i) => i.pointer === '/appId') };
}

/** The nearest folder above `dir` holding an app.json, when `dir` is inside an app. */
function enclosingApp(dir: string): string | undefined {
  for (let parent = path.dirname(dir); parent !== path.dirname(parent); parent = path.dirname(parent)) {
    if (fs.existsSync(path.join(parent, 'app.json'))) return parent;
  }
  return undefined;
}

/** The real path, so one folder reached two ways (symlink, ../x/../x) is one layer. */
function realDir(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return path.resolve(dir);
  }
}
