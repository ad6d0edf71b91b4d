/**
 * A starting business config built from a Type's config schema, for `jit create`: required fields
 * and fields with defaults, values given on the command line (matched by property name), and every
 * `x-secret` field as a {{NAME}} reference to set in .env. Fields still to fill are listed.
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
    const result: Record<string, unknown> = {};
    for (const [key, child] of Object.entries((node.properties ?? {}) as Record<string, SchemaNode>)) {
      if (key === '$schema') continue;
      if (required.has(key) || 'default' in child || given[key] !== undefined) result[key] = valueFor(child, appendPointer(pointer, key), key);
    }
    return result;
  };

  return { config: objectFor(schema, ''), secrets, toFill };
}

function emptyOf(type: unknown): unknown {
  if (type === 'integer' || type === 'number') return 0;
  if (type === 'boolean') return false;
  if (type === 'array') return [];
  if (type === 'object') return {};
  return '';
}
