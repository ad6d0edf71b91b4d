/**
 * Register stage: drafts become frozen ElementDefinitions (data only; nothing reaches back into the
 * loader or the host).
 */
import type { ElementDefinition } from '../definitions';
import { Registry } from '../registry';
import type { DraftMap, ElementDraft } from './types';
import { deepFreeze } from '../deep-freeze';

export function registerDefinitions(drafts: DraftMap): Registry {
  return new Registry([...drafts.values()].map(toDefinition));
}

function toDefinition(draft: ElementDraft): ElementDefinition {
  const { spec } = draft;
  const eJson = draft.eJson ?? {};
  const type = spec.type ?? '';
  const definition: ElementDefinition = {
    fullName: draft.fullName,
    title: spec.title ?? draft.fullName,
    ...(typeof eJson.description === 'string' ? { description: eJson.description } : {}),
    type,
    level: draft.level ?? (type === '' && spec.type !== undefined ? 'meta' : spec.declaredLevel ?? 'instance'),
    typeChain: draft.typeChain,
    accessModifier: spec.accessModifier,
    dir: draft.dir,
    eJsonFile: draft.eJsonFile,
    ...(spec.backendBundleEntry ? { backendBundleEntry: spec.backendBundleEntry } : {}),
    functionList: spec.functionList,
    eJson,
    ...(draft.config ? { config: draft.config } : {}),
    ...(draft.configFile ? { configFile: draft.configFile } : {}),
    secretPointers: draft.secretPointers,
    references: draft.references.map(({ pointer, target, type }) => ({ pointer, target, type })),
    appId: draft.layer.appId,
    provenance: { definedBy: draft.layer.appId, overrides: draft.overridden.map((d) => d.layer.appId) },
    diagnostics: draft.diagnostics,
    valid: draft.valid,
  };
  return deepFreeze(definition);
}

