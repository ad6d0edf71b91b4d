/**
 * Unique-config stage: a Type's `uniqueConfig` rules (e.g. one active DingTalk login per corpId)
 * across the valid, active instances of the Type and its subtypes. Every instance sharing a value
 * is reported, naming the others, and made invalid: neither silently wins. A rule with `through`
 * reads the value from the element an instance names there when the instance has none of its own
 * (two corps resolving to one DingTalk corpId, one by its own authConfig, one through its login).
 */
import type { LoadContext } from './context';
import { getAtPointer, pointerLabel } from './json-pointer';
import type { DraftMap, ElementDraft, UniqueRule } from './types';

export function checkUniqueConfig(drafts: DraftMap, ctx: LoadContext): void {
  const types = [...drafts.values()].filter((d) => d.spec.uniqueConfig.length > 0);
  if (types.length === 0) return;

  const instancesOf = new Map<string, ElementDraft[]>();
  for (const draft of drafts.values()) {
    if (draft.level !== 'instance' || !draft.valid || !draft.config) continue;
    for (const type of draft.typeChain) {
      const list = instancesOf.get(type);
      if (list) list.push(draft);
      else instancesOf.set(type, [draft]);
    }
  }

  const reported = new Set<string>();
  for (const type of types) {
    for (const rule of type.spec.uniqueConfig) {
      for (const group of duplicates(instancesOf.get(type.fullName) ?? [], rule, drafts)) {
        for (const instance of group) {
          const key = `${instance.fullName}\u0000${rule.pointer}`;
          if (reported.has(key)) continue; // a subtype repeating its parent's rule
          reported.add(key);
          report(instance, group, rule, type, drafts, ctx);
        }
      }
    }
  }
}

/** Where an instance's value for the rule comes from: its own config, or the element named at `through`. */
function valueSource(instance: ElementDraft, rule: UniqueRule, drafts: DraftMap): { value: unknown; from: ElementDraft } {
  const own = getAtPointer(instance.config, rule.pointer);
  if (own !== undefined || !rule.through) return { value: own, from: instance };
  const named = getAtPointer(instance.config, rule.through);
  const target = typeof named === 'string' && instance.references.some((r) => r.target === named) ? drafts.get(named) : undefined;
  return target ? { value: getAtPointer(target.config, rule.pointer), from: target } : { value: undefined, from: instance };
}

function duplicates(instances: ElementDraft[], rule: UniqueRule, drafts: DraftMap): ElementDraft[][] {
  const byValue = new Map<string, ElementDraft[]>();
  for (const instance of instances) {
    const active = rule.activeWhen ? getAtPointer(instance.config, rule.activeWhen) : undefined;
    if (active !== undefined && active !== true) continue;
    const { value } = valueSource(instance, rule, drafts);
    if (value === undefined) continue;
    const key = typeof value === 'string' ? value : JSON.stringify(value);
    const list = byValue.get(key);
    if (list) list.push(instance);
    else byValue.set(key, [instance]);
  }
  return [...byValue.values()].filter((group) => group.length > 1);
}

function report(instance: ElementDraft, group: ElementDraft[], rule: UniqueRule, type: ElementDraft, drafts: DraftMap, ctx: LoadContext): void {
  const others = group.filter((other) => other !== instance);
  const label = rule.label ?? pointerLabel(rule.pointer);
  const { value: found, from } = valueSource(instance, rule, drafts);
  const secret = from.secretPointers.includes(rule.pointer);
  const via = from === instance ? '' : ` (through ${pointerLabel(rule.through!)}: ${from.fullName})`;
  const value = secret ? '' : ` ${JSON.stringify(found)}`;
  const otherNames = others.map((o) => `${o.fullName} (${ctx.displayPath(o.configFile!)})`).join(', ');
  const deactivate = rule.activeWhen ? `set "${pointerLabel(rule.activeWhen)}": false on all but one, ` : '';
  const placeOf = (draft: ElementDraft) => ({ file: draft.configFile!, pointer: valueSource(draft, rule, drafts).from === draft ? rule.pointer : rule.through! });
  ctx.report(
    'CONFIG_NOT_UNIQUE',
    placeOf(instance),
    `${label}${value}${via} is also used by ${otherNames}: ${type.fullName} allows one active instance per ${label}; ${deactivate}remove the extra instances, or change the value`,
    instance,
    { related: others.map(placeOf) },
  );
  instance.valid = false;
}
