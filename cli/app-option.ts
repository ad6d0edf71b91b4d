/**
 * What the app-definition commands (init, create, validate, list, show) share: the --app option,
 * loading definitions without a database, paths shown relative to the current directory, refusals
 * as one line and exit 1, and config with its secrets replaced by [redacted].
 */
import * as path from 'path';
import type { Command } from 'commander';
import type { ElementDefinition } from '../runtime/definitions';
import { loadDefinitions, SourceFiles, unusableAppError, type LoadResult } from '../runtime/loader';
import { setAtPointer } from '../runtime/loader/json-pointer';
import { closestNames } from '../runtime/loader/names';
import type { Registry } from '../runtime/registry';
import { REDACTED } from '../runtime/secrets';
import { EXIT_USER_ERROR, printError } from './output';

export interface AppOption {
  app: string;
}

/** Adds `--app <dir>` (default: the current directory). */
export function withAppOption(command: Command): Command {
  return command.option('--app <dir>', 'app folder', '.');
}

export interface LoadedDefinitions extends LoadResult {
  /** The parsed files, for placing diagnostics found later (bundle checks). */
  files: SourceFiles;
}

/** Loads an app's definitions (no database, no element code run). */
export function loadAppDefinitions(appDir: string): LoadedDefinitions {
  const files = new SourceFiles();
  return { ...loadDefinitions(path.resolve(appDir), { files }), files };
}

/** Like loadAppDefinitions, but an app without a usable app.json is an error (CONFIG_INVALID). */
export function loadRunnableDefinitions(appDir: string): LoadedDefinitions {
  const loaded = loadAppDefinitions(appDir);
  if (loaded.fatal) throw unusableAppError(loaded);
  return loaded;
}

/** A path as people should see it: relative to the current directory. */
export function displayPath(file: string): string {
  return path.relative(process.cwd(), file) || '.';
}

/** Prints one line explaining why a command refuses, and sets exit code 1. */
export function refuse(message: string): void {
  printError(`error: ${message}`);
  process.exitCode = EXIT_USER_ERROR;
}

/** "No element X in this app: did you mean Y?" */
export function noSuchElement(fullName: string, registry: Registry): string {
  const [suggestion] = closestNames(fullName, registry.names(), 1);
  return `No element ${fullName} in this app${suggestion ? `: did you mean ${suggestion}?` : ''} (see jit list)`;
}

/** A copy of an element's config with every secret value replaced by [redacted]. */
export function redactedConfig(definition: ElementDefinition): Record<string, unknown> | undefined {
  if (!definition.config) return undefined;
  const copy = structuredClone(definition.config) as Record<string, unknown>;
  for (const pointer of definition.secretPointers) setAtPointer(copy, pointer, REDACTED);
  return copy;
}
