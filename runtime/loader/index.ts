/**
 * The loader: app folder -> frozen element definitions, with every problem as a diagnostic.
 *
 *   resolve app stack (app.json, extends, platform) -> discover (e.json folders) -> parse + validate
 *   each e.json -> layer apps (overrides, provenance) -> link type chains -> app.json sections the
 *   Types declare (appSettings) -> check bundle files ->
 *   configure instances ({{ENV}}, config schema, secrets) -> link references (x-element-ref fields)
 *   -> propagate validity (along types, then references) -> unique config -> propagate references
 *   again (a duplicate makes what names it invalid) -> register
 *
 * Each stage is a function over the drafts that reports problems and carries on, so one broken
 * element never stops the rest of the app from loading.
 */
import * as path from 'path';
import { formatDiagnostic, type Diagnostic } from '../diagnostics';
import { JitError } from '../errors';
import type { Registry } from '../registry';
import { processSecretRegistry, type SecretRegistry } from '../secrets';
import { resolveAppStack } from './apps';
import { declareAppSettings } from './app-settings';
import { checkBundleFiles } from './bundle-check';
import { configureInstances } from './configure';
import { LoadContext, type Env } from './context';
import { discoverElements } from './discover';
import { readElementFile } from './element-file';
import { readAppEnv } from './env';
import { layerElements } from './layer';
import { linkTypeChains } from './link';
import { SourceFiles } from './parse';
import { propagateValidity } from './propagate';
import { linkReferences, propagateReferences } from './references';
import { registerDefinitions } from './register';
import type { AppLayer } from './types';
import { checkUniqueConfig } from './unique';

export type { AppLayer } from './types';
export { PLATFORM_APP_DIR } from './apps';
export { SCHEMAS_DIR, APP_SCHEMA_FILE, ELEMENT_SCHEMA_FILE } from './validate';
export { readAppEnv } from './env';
export { SourceFiles } from './parse';
export { elementPath } from './element-file';

export interface LoadDefinitionsOptions {
  /** Overrides of the environment for {{NAME}} references, over the process environment and the app's .env. */
  env?: Env;
  /** The app's environment as `readAppEnv` read it for this load (loadApp): then `env` is not used and .env is not read again. */
  appEnv?: Env;
  /** Where config secrets are registered: the app's registry (default: the process registry, for callers with no app). */
  secrets?: SecretRegistry;
  /** Parsed files of a previous load of the same app: unchanged files are not read again (hot reload). */
  files?: SourceFiles;
}

export interface LoadResult {
  /** The app itself (appId falls back to the folder name when app.json cannot say). */
  app: AppLayer;
  /** Platform first, the app itself last. */
  layers: readonly AppLayer[];
  registry: Registry;
  /** Every problem, sorted by file and position. */
  diagnostics: readonly Diagnostic[];
  /** The app has no usable app.json (missing, unreadable, no valid appId): it can be validated, not run. */
  fatal: boolean;
}

/** Loads and validates an app folder's definitions. Never throws for a problem in the app's files. */
export function loadDefinitions(appDir: string, options: LoadDefinitionsOptions = {}): LoadResult {
  const dir = path.resolve(appDir);
  const files = options.files ?? new SourceFiles();
  files.beginRun();
  const ctx = new LoadContext(dir, files, options.appEnv ?? readAppEnv(dir, options.env), options.secrets ?? processSecretRegistry());

  const stack = resolveAppStack(dir, ctx);
  const draftsByLayer = stack.layers.map((layer) => discoverElements(layer, ctx));
  for (const draft of draftsByLayer.flat()) readElementFile(draft, ctx);
  const drafts = layerElements(draftsByLayer, ctx);
  linkTypeChains(drafts, ctx);
  declareAppSettings(drafts, stack.layers, ctx);
  checkBundleFiles(drafts, ctx);
  configureInstances(drafts, ctx);
  linkReferences(drafts, ctx);
  propagateValidity(drafts, ctx);
  propagateReferences(drafts, ctx);
  checkUniqueConfig(drafts, ctx);
  propagateReferences(drafts, ctx);
  const registry = registerDefinitions(drafts);

  files.endRun();
  return {
    app: stack.app,
    layers: stack.layers,
    registry,
    diagnostics: Object.freeze(sortDiagnostics(ctx.diagnostics.all)),
    fatal: stack.fatal,
  };
}

export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col));
}

/** The first problem as one line, for errors that carry diagnostics. */
export function summarizeDiagnostics(diagnostics: readonly Diagnostic[], base = process.cwd()): string {
  const first = diagnostics.find((d) => d.severity === 'error') ?? diagnostics[0];
  if (!first) return 'no diagnostics';
  const more = diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : '';
  return formatDiagnostic(first, base) + more;
}

/** CONFIG_INVALID for an app that cannot run (no usable app.json), carrying its app.json diagnostics. */
export function unusableAppError(result: LoadResult): JitError {
  const diagnostics = result.diagnostics.filter((d) => d.file === result.app.appJsonFile);
  return new JitError('CONFIG_INVALID', `${result.app.dir} is not a usable app: ${summarizeDiagnostics(diagnostics)}`, {
    diagnostics: diagnostics.map((d) => ({ ...d })),
  });
}
