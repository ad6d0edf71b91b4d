/**
 * Layer-apps stage, part two: one definition per fullName. A later layer's element replaces an
 * earlier one with the same fullName (provenance keeps who was replaced), unless the earlier one is
 * protected or private (then the override is an error and the earlier definition stays). An override inherits the e.json keys it leaves out (its functionList,
 * configSchema, uniqueConfig...), with inherited relative paths still pointing into the folder
 * that declared them, so overriding a Type can be as small as a new backendBundleEntry.
 */
import type { LoadContext } from './context';
import { appSettingsOf, elementPath, PATH_KEYS, readSpec } from './element-file';
import type { DraftMap, ElementDraft } from './types';

/** `draftsByLayer` in layer order (platform first, the app itself last). */
export function layerElements(draftsByLayer: ElementDraft[][], ctx: LoadContext): DraftMap {
  const winners: DraftMap = new Map();
  for (const drafts of draftsByLayer) {
    for (const draft of drafts) {
      const previous = winners.get(draft.fullName);
      if (previous && !mayOverride(previous, draft, ctx)) continue;
      if (previous) inherit(previous, draft);
      winners.set(draft.fullName, draft);
    }
  }
  return winners;
}

/**
 * A protected or private element keeps its definition: the attempted override is reported (on the
 * overriding file, naming the protected one) and does not take effect, so the parent app's own
 * elements built on it keep working.
 */
function mayOverride(previous: ElementDraft, draft: ElementDraft, ctx: LoadContext): boolean {
  const access = previous.spec.accessModifier;
  if (!previous.eJson || access === 'public') return true;
  const allowed = access === 'protected' ? ' (a protected element can still be used, e.g. as a type)' : '';
  ctx.report(
    'OVERRIDE_FORBIDDEN',
    { file: draft.eJsonFile },
    `${draft.fullName} is ${access} in ${previous.layer.appId} (${ctx.displayPath(previous.eJsonFile)}), so it cannot be overridden${allowed}: rename this folder to add a new element instead`,
    draft,
    { related: [{ file: previous.eJsonFile, pointer: '/accessModifier' }] },
  );
  return false;
}

function inherit(previous: ElementDraft, draft: ElementDraft): void {
  draft.overridden = [previous, ...previous.overridden];
  if (!previous.eJson || !draft.ownEJson) return;
  const inherited: Record<string, unknown> = { ...previous.eJson };
  delete inherited.$schema;
  for (const key of PATH_KEYS) {
    const absolute = elementPath(previous.dir, previous.eJson, key);
    if (absolute) inherited[key] = absolute;
  }
  const sections = appSettingsOf(previous.eJson, previous.dir).appSettings;
  if (sections) inherited.appSettings = sections;
  draft.eJson = { ...inherited, ...draft.ownEJson };
  draft.spec = readSpec(draft.eJson, draft.dir);
}
