/**
 * A starting business config built from a Type's config schema, for `jit create`: required fields
 * and fields with defaults, values given on the command line (matched by property name), and every
 * `x-secret` field as a {{NAME}} reference to set in .env. Fields still to fill are listed. Where an
 * object allows exactly one of several groups of keys (`x-oneOfGroups`), the group whose first key
 * was given is written, else the last group (a corp: `--auth` gives authFullName, else authConfig).
 */
import { appendPointer, pointerLabel } from '../runtime/loader/json-pointer';
import { secretEnvName } from '../runtime/loader/names';

type SchemaNode = Record<string, unknown>;

export interface ConfigSkeleton {
  config: Record<string, unknown>;
  /** Environment variables the config references, with the field each stands for. */
  secrets: Array<{ variable: string; field: string }>;
  /** Required fields left empty (no value given, no default). */
  toFill: string[];
}

export function buildConfigSkeleton(schema: SchemaNode, instanceFullName: string, given: Record<string, string | undefined>): ConfigSkeleton {
  const secrets: ConfigSkeleton['secrets'] = [];
  const toFill: string[] = [];

  const valueFor = (node: SchemaNode, pointer: string, key: string): unknown => {
    const value = given[key];
    if (value !== undefined) return node.type === 'integer' || node.type === 'number' ? (/^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value) : value;
    if (node['x-secret'] === true) {
      const variable = secretEnvName(instanceFullName, pointer);
      secrets.push({ variable, field: pointerLabel(pointer) });
      return `{{${variable}}}`;
    }
    if (node.properties) return objectFor(node, pointer);
    if ('default' in node) return structuredClone(node.default);
    toFill.push(pointerLabel(pointer));
    return emptyOf(node.type);
  };

  const objectFor = (node: SchemaNode, pointer: string): Record<string, unknown> => {
    const required = new Set(Array.isArray(node.required) ? (node.required as string[]) : []);
    const { chosen, excluded } = chooseGroup(node, given);
    const result: Record<string, unknown> = {};
    for (const [key, child] of Object.entries((node.properties ?? {}) as Record<string, SchemaNode>)) {
      if (key === '$schema' || excluded.has(key)) continue;
      if (required.has(key) || chosen.has(key) || 'default' in child || given[key] !== undefined) result[key] = valueFor(child, appendPointer(pointer, key), key);
    }
    return result;
  };

  return { config: objectFor(schema, ''), secrets, toFill };
}

/** The keys of the `x-oneOfGroups` group to write, and those of the others (left out). */
function chooseGroup(node: SchemaNode, given: Record<string, string | undefined>): { chosen: Set<string>; excluded: Set<string> } {
  const rule = node['x-oneOfGroups'] as { groups?: unknown } | undefined;
  const groups = Array.isArray(rule?.groups) ? (rule!.groups as unknown[]).filter((g): g is string[] => Array.isArray(g) && g.length > 0) : [];
  if (groups.length === 0) return { chosen: new Set(), excluded: new Set() };
  const pick = groups.find((group) => given[group[0]] !== undefined) ?? groups[groups.length - 1];
  return { chosen: new Set(pick), excluded: new Set(groups.filter((g) => g !== pick).flat()) };
}

function emptyOf(type: unknown): unknown {
  if (type === 'integer' || type === 'number') return 0;
  if (type === 'boolean') return false;
  if (type === 'array') return [];
  if (type === 'object') return {};
  return '';
}
