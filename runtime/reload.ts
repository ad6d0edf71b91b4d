/**
 * Hot reload's bookkeeping: given the live registry and a fresh load of the app's files, which
 * elements were added, changed (their definition, a Type in their chain, an element they refer to, or
 * their own module file) and removed, and which broken saves keep their last good definition. Pure:
 * it reads module stamps but changes nothing; `App.reload()` applies the plan (swaps the registry,
 * forgets edited modules, disposes the element objects that changed).
 */
import * as fs from 'fs';
import { resolveBundleFile } from './bundles';
import type { ElementDefinition } from './definitions';
import type { Diagnostic } from './diagnostics';
import type { LoadResult } from './loader';
import { Registry } from './registry';
import type { ReloadResult as WatcherReloadResult } from './watch';

/** What one `reload()` changed. */
export interface ReloadResult extends WatcherReloadResult {
  /** fullNames added, changed (their definition or one in their type chain) and removed. */
  added: string[];
  changed: string[];
  removed: string[];
  /** Elements whose new files are broken: their last good definition stays live (see diagnostics). */
  kept: string[];
  /** Every diagnostic of the new load. */
  diagnostics: readonly Diagnostic[];
}

/** What the app knew at its last load: the live registry and what its elements depended on then. */
export interface ReloadBaseline {
  registry: Registry;
  /** Fingerprints of the live definitions (computed from `registry` when absent: the first reload). */
  fingerprints?: ReadonlyMap<string, string>;
  /** mtime and size of each element's own module when it was loaded. */
  moduleStamps: ReadonlyMap<string, string>;
}

/** The next live state and what changed; `edited` are the elements whose own definition or module changed. */
export interface ReloadPlan extends Omit<ReloadResult, 'diagnostics'> {
  registry: Registry;
  fingerprints: Map<string, string>;
  moduleStamps: Map<string, string>;
  edited: ReadonlySet<string>;
}

/** Compares a fresh (non-fatal) load with the baseline. */
export function planReload(baseline: ReloadBaseline, result: LoadResult): ReloadPlan {
  const previous = baseline.registry;
  const before = baseline.fingerprints ?? fingerprintAll(previous);
  const after = new Map<string, string>();
  const kept: string[] = [];
  const live = result.registry.all().map((definition) => {
    const old = previous.get(definition.fullName);
    if (!definition.valid && old?.valid) {
      // A broken save: the last good definition stays live until the files are fixed.
      kept.push(definition.fullName);
      after.set(definition.fullName, before.get(definition.fullName)!);
      return old;
    }
    const print = fingerprint(definition);
    after.set(definition.fullName, print);
    return old && before.get(definition.fullName) === print ? old : definition;
  });
  const next = new Registry(live);

  const stamps = moduleStampsOf(next);
  const added = [...after.keys()].filter((name) => !before.has(name));
  const removed = [...before.keys()].filter((name) => !after.has(name));
  const edited = new Set(
    [...after.keys()].filter((name) => before.has(name) && (before.get(name) !== after.get(name) || baseline.moduleStamps.get(name) !== stamps.get(name))),
  );
  const touched = new Set([...edited, ...added, ...removed]);
  const changed = withReferrers(
    next,
    new Set([...after.keys()].filter((name) => before.has(name) && (edited.has(name) || next.get(name)!.typeChain.some((t) => touched.has(t))))),
    touched,
    (name) => before.has(name),
  );
  return { registry: next, fingerprints: after, moduleStamps: stamps, added, changed, removed, kept, edited };
}

/**
 * `changed` plus every element that names (x-element-ref) a changed or touched one, and their own
 * referrers in turn: a corp built on a login is rebuilt when the login's config changes.
 */
function withReferrers(registry: Registry, changed: Set<string>, touched: ReadonlySet<string>, existedBefore: (name: string) => boolean): string[] {
  for (let grew = true; grew; ) {
    grew = false;
    for (const definition of registry.all()) {
      const name = definition.fullName;
      if (changed.has(name) || !existedBefore(name)) continue;
      if (definition.references?.some((r) => changed.has(r.target) || touched.has(r.target))) {
        changed.add(name);
        grew = true;
      }
    }
  }
  return [...changed];
}

/**
 * What a definition's element object depends on, as one string (config values stay in memory). An
 * edited module file is tracked apart, by its stamp, since the definition does not change with it.
 */
function fingerprintAll(registry: Registry): Map<string, string> {
  return new Map(registry.all().map((d) => [d.fullName, fingerprint(d)]));
}

function fingerprint(d: ElementDefinition): string {
  return JSON.stringify([d.valid, d.level, d.typeChain, d.accessModifier, d.appId, d.dir, d.provenance, d.eJson, d.config ?? null, d.diagnostics]);
}

/** mtime and size of each element's own module file (`missing` when it cannot be found). */
export function moduleStampsOf(registry: Registry): Map<string, string> {
  const stamps = new Map<string, string>();
  for (const d of registry.all()) {
    if (!d.backendBundleEntry) continue;
    const file = resolveBundleFile(d.backendBundleEntry);
    const stat = file ? fs.statSync(file, { throwIfNoEntry: false }) : undefined;
    stamps.set(d.fullName, stat ? `${file}:${stat.mtimeMs}:${stat.size}` : 'missing');
  }
  return stamps;
}
