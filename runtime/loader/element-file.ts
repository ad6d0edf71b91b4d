/**
 * One e.json: parsed, validated against schemas/e.schema.json, and read into an ElementSpec. The
 * spec is read leniently, so a file with one bad field still links and configures as far as it can
 * (one mistake gives one diagnostic, not a cascade).
 */
import * as path from 'path';
import type { AccessModifier, FunctionArg, FunctionSpec } from '../definitions';
import type { LoadContext } from './context';
import type { ElementDraft, ElementSpec, UniqueRule } from './types';
import { validateEJson } from './validate';

/** e.json keys holding paths relative to the element folder (made absolute when inherited). */
export const PATH_KEYS = ['backendBundleEntry', 'frontendBundleEntry', 'configSchema'] as const;

/** Parse + validate stages for one element: fills ownEJson, eJson and spec. */
export function readElementFile(draft: ElementDraft, ctx: LoadContext): void {
  const read = ctx.readJson(draft.eJsonFile, draft);
  if (read.status !== 'ok') return;
  for (const issue of validateEJson(read.data)) {
    ctx.report('E_JSON_INVALID', { file: draft.eJsonFile, pointer: issue.pointer, part: issue.part }, issue.message, draft);
  }
  if (read.data && typeof read.data === 'object' && !Array.isArray(read.data)) {
    draft.ownEJson = read.data as Record<string, unknown>;
    draft.eJson = draft.ownEJson;
    draft.spec = readSpec(draft.eJson, draft.dir);
  }
}

/** The path an element's e.json key resolves to (an inherited key already holds an absolute path). */
export function elementPath(dir: string, eJson: Readonly<Record<string, unknown>>, key: (typeof PATH_KEYS)[number]): string | undefined {
  const value = eJson[key];
  return typeof value === 'string' && value ? path.resolve(dir, value) : undefined;
}

export function readSpec(eJson: Record<string, unknown>, dir: string): ElementSpec {
  const level = eJson.level;
  const access = eJson.accessModifier;
  return {
    title: typeof eJson.title === 'string' && eJson.title ? eJson.title : undefined,
    type: typeof eJson.type === 'string' ? eJson.type : undefined,
    declaredLevel: level === 'type' || level === 'instance' ? level : undefined,
    accessModifier: access === 'protected' || access === 'private' ? (access as AccessModifier) : 'public',
    backendBundleEntry: elementPath(dir, eJson, 'backendBundleEntry'),
    configSchema: elementPath(dir, eJson, 'configSchema'),
    ...appSettingsOf(eJson, dir),
    uniqueConfig: records(eJson.uniqueConfig)
      .filter((rule) => typeof rule.pointer === 'string')
      .map((rule): UniqueRule => ({
        pointer: rule.pointer as string,
        ...(typeof rule.activeWhen === 'string' ? { activeWhen: rule.activeWhen } : {}),
        ...(typeof rule.label === 'string' ? { label: rule.label } : {}),
        ...(typeof rule.through === 'string' ? { through: rule.through } : {}),
      })),
    functionList: records(eJson.functionList)
      .filter((fn) => typeof fn.name === 'string')
      .map((fn): FunctionSpec => ({
        name: fn.name as string,
        title: typeof fn.title === 'string' ? fn.title : (fn.name as string),
        args: records(fn.args)
          .filter((arg) => typeof arg.name === 'string')
          .map((arg): FunctionArg => ({
            name: arg.name as string,
            dataType: typeof arg.dataType === 'string' ? arg.dataType : 'JSON',
            ...(typeof arg.required === 'boolean' ? { required: arg.required } : {}),
          })),
        // Functions need a login unless they say otherwise: the safe default.
        loginRequired: fn.loginRequired !== false,
      })),
  };
}

/** e.json `appSettings`: each section's schema path made absolute (an inherited one is already). */
export function appSettingsOf(eJson: Record<string, unknown>, dir: string): { appSettings?: Record<string, string> } {
  const declared = eJson.appSettings;
  if (!declared || typeof declared !== 'object' || Array.isArray(declared)) return {};
  const entries = Object.entries(declared).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '');
  return entries.length ? { appSettings: Object.fromEntries(entries.map(([key, file]) => [key, path.resolve(dir, file)])) } : {};
}

function records(value: unknown): Array<Record<string, unknown>> {
  return Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v)) : [];
}
