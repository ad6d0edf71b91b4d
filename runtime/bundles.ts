/**
 * backendBundleEntry modules: resolve the file, require it, pick the class. The loader only checks
 * that the module exists (BUNDLE_MISSING); requiring it runs the app author's code, so that happens
 * when an element is first used (`getElement`) or when `jit validate` asks for it (BUNDLE_INVALID).
 *
 * A module exports one class extending Element: `module.exports = class`, a default export, or a
 * single exported class (when several are exported, the one named like the module file).
 */
import * as path from 'path';
import { Element, type ElementClass } from './element';
import type { ElementDefinition } from './definitions';
import type { Diagnostic } from './diagnostics';
import type { SourceFiles } from './loader/parse';
import type { Registry } from './registry';

export type BundleLoad = { ok: true; exports: Record<string, unknown>; elementClass: ElementClass } | { ok: false; reason: string };

const loaded = new Map<string, BundleLoad>();

/** The file a module path (absolute, without extension) resolves to, or undefined. */
export function resolveBundleFile(modulePath: string): string | undefined {
  try {
    return require.resolve(modulePath);
  } catch {
    return undefined;
  }
}

/** Requires a backendBundleEntry module (once) and picks its element class. */
export function loadBundle(modulePath: string): BundleLoad {
  const file = resolveBundleFile(modulePath);
  if (!file) return { ok: false, reason: `no module ${path.basename(modulePath)} (.ts or .js) in ${path.dirname(modulePath)}` };
  let result = loaded.get(file);
  if (!result) {
    result = requireBundle(file);
    loaded.set(file, result);
  }
  return result;
}

/** Drops a module from the caches so the next load reads the edited file (hot reload). */
export function forgetBundle(modulePath: string): void {
  const file = resolveBundleFile(modulePath);
  if (!file) return;
  loaded.delete(file);
  delete require.cache[file];
}

/** The element whose backendBundleEntry builds `definition`: itself, else the nearest in its type chain. */
export function bundleOwner(definition: ElementDefinition, registry: Registry): ElementDefinition | undefined {
  if (definition.backendBundleEntry) return definition;
  for (const name of definition.typeChain) {
    const candidate = registry.get(name);
    if (candidate?.backendBundleEntry) return candidate;
  }
  return undefined;
}

function requireBundle(file: string): BundleLoad {
  let moduleExports: unknown;
  try {
    moduleExports = require(file);
  } catch (err) {
    const message = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    return { ok: false, reason: `requiring ${path.basename(file)} failed: ${message}` };
  }
  const picked = pickElementClass(moduleExports, path.basename(file, path.extname(file)));
  if (typeof picked === 'string') return { ok: false, reason: picked };
  return { ok: true, exports: (moduleExports ?? {}) as Record<string, unknown>, elementClass: picked };
}

/** The class a module exports, or why there is none. */
export function pickElementClass(moduleExports: unknown, moduleName: string): ElementClass | string {
  const exportsObject = (moduleExports ?? {}) as Record<string, unknown>;
  let chosen: unknown;
  if (isClass(moduleExports)) chosen = moduleExports;
  else if (isClass(exportsObject.default)) chosen = exportsObject.default;
  else {
    const classes = Object.values(exportsObject).filter(isClass);
    const elementClasses = classes.filter(extendsElement);
    const pool = elementClasses.length ? elementClasses : classes;
    chosen = pool.length === 1 ? pool[0] : pool.find((c) => c.name === moduleName);
    if (!chosen && pool.length > 1) {
      return `${moduleName} exports several classes (${pool.map((c) => c.name).join(', ')}): export one, or name one ${moduleName}`;
    }
  }
  if (!chosen) return `${moduleName} exports no class: export a class that extends Element (module.exports = class ..., or export class ${moduleName})`;
  if (!extendsElement(chosen as ClassLike)) {
    return `${moduleName} exports class ${(chosen as ClassLike).name}, which does not extend Element: extend Element (or an official Type such as DDInnerType) from 'jit-runtime'`;
  }
  return chosen as ElementClass;
}

type ClassLike = (abstract new (...args: never[]) => unknown) & { name: string };

function isClass(value: unknown): value is ClassLike {
  return typeof value === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(value));
}

/**
 * instanceof across the prototype chain; also accepts an Element from another copy of jit-runtime
 * (an app with its own node_modules/jit-runtime), recognised by name.
 */
function extendsElement(cls: ClassLike): boolean {
  if (cls === (Element as unknown) || cls.prototype instanceof Element) return true;
  for (let proto = Object.getPrototypeOf(cls); proto && proto !== Function.prototype; proto = Object.getPrototypeOf(proto)) {
    if (proto.name === 'Element') return true;
  }
  return false;
}

/**
 * BUNDLE_INVALID for the element that declares a module that cannot be used. `files` (the loader's
 * parsed files) places it on the backendBundleEntry line; without it, at 1:1.
 */
export function bundleDiagnostic(owner: ElementDefinition, reason: string, files?: SourceFiles): Diagnostic {
  const pointer = '/backendBundleEntry';
  return Object.freeze({
    code: 'BUNDLE_INVALID',
    severity: 'error',
    file: owner.eJsonFile,
    pointer,
    ...(files ? files.position(owner.eJsonFile, pointer) : { line: 1, col: 1 }),
    message: `backendBundleEntry of ${owner.fullName} cannot be used: ${reason}`,
    fullName: owner.fullName,
  } satisfies Diagnostic);
}

/**
 * Requires the module of every valid element (each module once) and reports the ones that fail or
 * export no element class. `jit validate` runs this for the app's own modules (`onlyApps`); an App
 * does the same lazily per element.
 */
export function verifyBundles(registry: Registry, files?: SourceFiles, onlyApps?: ReadonlySet<string>): Diagnostic[] {
  const checked = new Set<string>();
  const problems: Diagnostic[] = [];
  for (const definition of registry.all()) {
    if (!definition.valid) continue;
    const owner = bundleOwner(definition, registry);
    if (!owner || checked.has(owner.fullName) || (onlyApps && !onlyApps.has(owner.appId))) continue;
    checked.add(owner.fullName);
    const load = loadBundle(owner.backendBundleEntry!);
    if (!load.ok) problems.push(bundleDiagnostic(owner, load.reason, files));
  }
  return problems;
}
