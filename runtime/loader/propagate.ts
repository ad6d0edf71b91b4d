/**
 * Propagate stage: an element is valid when nothing is wrong with it and its type is valid. An
 * element whose type (or type's type...) failed gets DEFINITION_INVALID pointing at the first broken
 * link, so `getElement` on it says where to look.
 */
import { formatDiagnostic } from '../diagnostics';
import type { LoadContext } from './context';
import { hasErrors, type DraftMap, type ElementDraft } from './types';

export function propagateValidity(drafts: DraftMap, ctx: LoadContext): void {
  const settled = new Set<ElementDraft>();
  const check = (draft: ElementDraft): boolean => {
    if (settled.has(draft)) return draft.valid;
    settled.add(draft);
    draft.valid = false; // while checking: a loop through this element makes it invalid
    let valid = !hasErrors(draft);
    const type = draft.spec.type ? drafts.get(draft.spec.type) : undefined;
    if (valid && type && !check(type)) {
      valid = false;
      const cause = type.diagnostics.find((d) => d.severity === 'error');
      ctx.report(
        'DEFINITION_INVALID',
        { file: draft.eJsonFile, pointer: '/type' },
        `${draft.fullName} cannot load because its type ${type.fullName} is invalid: fix that first${cause ? ` (${formatDiagnostic(cause, ctx.appDir)})` : ''}`,
        draft,
      );
    }
    draft.valid = valid;
    return valid;
  };
  for (const draft of drafts.values()) check(draft);
}
