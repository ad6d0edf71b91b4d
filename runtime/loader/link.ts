/**
 * Link stage: walks each element's `type` chain to its Meta and derives its level.
 *
 * The level rule (documented in docs/app-authors.md and e.schema.json):
 * - `type: ""` is a Meta;
 * - an element pointing at a Meta is a Type (an element that has a business config file or says
 *   `"level": "instance"` there is a mistake: INSTANCE_OF_META);
 * - an element pointing at a Type is an Instance, unless it says `"level": "type"` (a subtype);
 * - nothing may point at an Instance (TYPE_IS_INSTANCE).
 * Missing types, cycles and private types of another app are reported on the element that names them.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { LoadContext } from './context';
import { closestNames } from './names';
import type { DraftMap, ElementDraft } from './types';

export function linkTypeChains(drafts: DraftMap, ctx: LoadContext): void {
  const done = new Set<ElementDraft>();
  const visiting: ElementDraft[] = [];

  const link = (draft: ElementDraft): void => {
    if (done.has(draft)) return;
    const loopStart = visiting.indexOf(draft);
    if (loopStart >= 0) {
      reportCycle(visiting.slice(loopStart), ctx);
      for (const member of visiting.slice(loopStart)) done.add(member);
      return;
    }
    const type = draft.spec.type;
    if (type === undefined) {
      // e.json unreadable or without a usable type: already reported, nothing to link.
    } else if (type === '') {
      linkMeta(draft, ctx);
    } else {
      const target = drafts.get(type);
      if (!target) {
        reportMissingType(draft, type, drafts, ctx);
      } else {
        visiting.push(draft);
        link(target);
        visiting.pop();
        if (done.has(draft)) return; // it turned out to be part of a cycle
        linkToTarget(draft, target, ctx, drafts);
      }
    }
    done.add(draft);
  };

  for (const draft of drafts.values()) link(draft);
}

function linkMeta(draft: ElementDraft, ctx: LoadContext): void {
  draft.level = 'meta';
  draft.linked = true;
  if (draft.spec.declaredLevel) {
    ctx.report('E_JSON_INVALID', { file: draft.eJsonFile, pointer: '/level' }, `"level" does not apply to a Meta (an element with type ""): remove it`, draft);
  }
}

function linkToTarget(draft: ElementDraft, target: ElementDraft, ctx: LoadContext, drafts: DraftMap): void {
  const type = target.fullName;
  draft.typeChain = [type, ...target.typeChain];
  draft.linked = target.linked;
  const typePlace = { file: draft.eJsonFile, pointer: '/type' };

  if (target.spec.accessModifier === 'private' && target.layer !== draft.layer) {
    ctx.report(
      'ACCESS_DENIED',
      typePlace,
      `${type} is private to ${target.layer.appId} (${ctx.displayPath(target.eJsonFile)}): only that app may use it. Use a public or protected Type, or define your own`,
      draft,
      { related: [{ file: target.eJsonFile, pointer: '/accessModifier' }] },
    );
  }

  switch (target.level) {
    case 'meta': {
      const configFile = ownConfigFile(draft);
      const reason = draft.spec.declaredLevel === 'instance' ? 'says "level": "instance"' : fs.existsSync(configFile) ? `has a business config (${path.basename(configFile)}), so it is an Instance,` : undefined;
      if (!reason) {
        draft.level = 'type';
        return;
      }
      draft.level = 'instance';
      draft.linked = false;
      const types = [...drafts.values()].filter((d) => d.spec.type === type && d.level === 'type').map((d) => d.fullName);
      const suggestion = types.length ? ` such as ${types.slice(0, 3).join(', ')}` : '';
      ctx.report('INSTANCE_OF_META', typePlace, `${draft.fullName} ${reason} but its type ${type} is a Meta: an Instance must point at a Type${suggestion}`, draft);
      return;
    }
    case 'type':
      draft.level = draft.spec.declaredLevel ?? 'instance';
      return;
    case 'instance':
      draft.level = draft.spec.declaredLevel ?? 'instance';
      draft.linked = false;
      ctx.report(
        'TYPE_IS_INSTANCE',
        typePlace,
        `${type} is an Instance${target.spec.type ? ` of ${target.spec.type}` : ''}, and nothing can be built from an Instance: point "type" at a Type${target.spec.type ? ` such as ${target.spec.type}` : ''}`,
        draft,
      );
      return;
    default:
      // The target could not be linked itself; propagate marks this element invalid.
      draft.level = draft.spec.declaredLevel ?? 'instance';
      draft.linked = false;
  }
}

function reportMissingType(draft: ElementDraft, type: string, drafts: DraftMap, ctx: LoadContext): void {
  draft.level = draft.spec.declaredLevel ?? 'instance';
  draft.typeChain = [type];
  const [suggestion] = closestNames(type, drafts.keys(), 1);
  const hint = suggestion ? `did you mean ${suggestion}? ` : '';
  ctx.report('TYPE_MISSING', { file: draft.eJsonFile, pointer: '/type' }, `Type "${type}" does not exist: ${hint}Fix the name, or create the element (a folder ${type.replace(/\./g, '/')} with an e.json)`, draft);
}

function reportCycle(members: ElementDraft[], ctx: LoadContext): void {
  const loop = [...members, members[0]].map((m) => m.fullName).join(' -> ');
  members.forEach((member, index) => {
    member.typeChain = [...members.slice(index + 1), ...members.slice(0, index)].map((m) => m.fullName);
    member.linked = false;
    ctx.report('TYPE_CYCLE', { file: member.eJsonFile, pointer: '/type' }, `The type chain loops (${loop}): point one of these elements at a Meta or at a Type outside the loop`, member);
  });
}

/** `<folder>/<folder>.json`: where an Instance keeps its business config. */
export function ownConfigFile(draft: { dir: string }): string {
  return path.join(draft.dir, `${path.basename(draft.dir)}.json`);
}
