/**
 * References stage: config fields a Type's schema marks `"x-element-ref": "<Type fullName>"` name
 * another element (a corp names the login it syncs through: `authFullName`). Each must name an
 * existing Instance of that Type, else REFERENCE_MISSING / REFERENCE_WRONG_TYPE at the field. Then
 * validity follows references as it follows `type`: an element naming an invalid element is invalid
 * too (DEFINITION_INVALID at the field), so `getElement` says where to look.
 *
 * The stage knows nothing of what is referenced: the schema says which fields and which Type.
 */
import { formatDiagnostic } from '../diagnostics';
import type { LoadContext } from './context';
import { pointerLabel } from './json-pointer';
import { closestNames } from './names';
import type { DraftMap, DraftReference, ElementDraft } from './types';

/** Checks that every reference names an Instance of the Type its field requires; keeps the good ones. */
export function linkReferences(drafts: DraftMap, ctx: LoadContext): void {
  for (const draft of drafts.values()) {
    if (draft.references.length === 0) continue;
    draft.references = draft.references.filter((reference) => checkReference(draft, reference, drafts, ctx));
  }
}

function checkReference(draft: ElementDraft, reference: DraftReference, drafts: DraftMap, ctx: LoadContext): boolean {
  const { pointer, type, target } = reference;
  const place = { file: draft.configFile!, pointer };
  const field = pointerLabel(pointer);
  const candidates = () => [...drafts.values()].filter((d) => d.level === 'instance' && d.typeChain.includes(type)).map((d) => d.fullName);
  const found = drafts.get(target);
  if (!found) {
    const [suggestion] = closestNames(target, candidates(), 1);
    const listed = candidates();
    const hint = suggestion ? `did you mean ${suggestion}? ` : listed.length ? `Instances of ${type}: ${listed.slice(0, 5).join(', ')}. ` : `Create an Instance of ${type} first. `;
    ctx.report('REFERENCE_MISSING', place, `${field} names "${target}", but there is no such element: ${hint}Fix the name`, draft);
    return false;
  }
  if (found.level !== 'instance' || !found.typeChain.includes(type)) {
    const what = found.level === 'instance' ? `an Instance of ${found.typeChain[0] ?? 'nothing'}` : `a ${found.level ?? 'broken element'}`;
    const listed = candidates();
    ctx.report(
      'REFERENCE_WRONG_TYPE',
      place,
      `${field} must name an Instance of ${type}, but ${target} is ${what}${listed.length ? `: name one of ${listed.slice(0, 5).join(', ')}` : `: create an Instance of ${type} and name it here`}`,
      draft,
      { related: [{ file: found.eJsonFile, pointer: '/type' }] },
    );
    return false;
  }
  return true;
}

/**
 * An element whose reference names an invalid element becomes invalid (DEFINITION_INVALID at the
 * field). Repeated until nothing changes, so chains of references settle; elements that name each
 * other stay valid as long as both are.
 */
export function propagateReferences(drafts: DraftMap, ctx: LoadContext): void {
  for (let changed = true; changed; ) {
    changed = false;
    for (const draft of drafts.values()) {
      if (!draft.valid || draft.references.length === 0) continue;
      const broken = draft.references.map((r) => ({ reference: r, target: drafts.get(r.target)! })).find(({ target }) => !target.valid);
      if (!broken) continue;
      const cause = broken.target.diagnostics.find((d) => d.severity === 'error');
      ctx.report(
        'DEFINITION_INVALID',
        { file: draft.configFile!, pointer: broken.reference.pointer },
        `${draft.fullName} cannot load because ${pointerLabel(broken.reference.pointer)} names ${broken.target.fullName}, which is invalid: fix that first${cause ? ` (${formatDiagnostic(cause, ctx.appDir)})` : ''}`,
        draft,
      );
      draft.valid = false;
      changed = true;
    }
  }
}
