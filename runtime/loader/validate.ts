/**
 * Validate stage: app.json and e.json against the package's JSON Schemas, and business config
 * against a Type's configSchema (Ajv, draft-07). Each schema is compiled once per process (a config
 * schema again only when its file changes). Ajv's errors become issues that name the field, say
 * what it must be and what was found, and never echo a secret.
 *
 * Schema keywords of our own: `x-secret: true` marks a value as a secret (registered for redaction,
 * listed in the definition's secretPointers); `x-hint` is the plain-words description messages use;
 * `x-element-ref: "<Type fullName>"` marks a string as the fullName of another element, which must be
 * an Instance of that Type (checked by the references stage); `x-deprecated: "<why and what to do>"`
 * marks a key that still works but should move (a warning, with `{fullName}` and `{name}` filled in);
 * `x-oneOfGroups: {groups, hint}` on an object says exactly one group's first key must be present, and
 * a group's other keys only go with it (e.g. a corp names a login, or brings credentials and binding).
 */
import * as path from 'path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { closestNames } from './names';
import { appendPointer, pointerLabel } from './json-pointer';

/** The package's schemas folder (source tree and dist/ alike). */
export const SCHEMAS_DIR = path.resolve(__dirname, '..', '..', 'schemas');
export const APP_SCHEMA_FILE = path.join(SCHEMAS_DIR, 'app.schema.json');
export const ELEMENT_SCHEMA_FILE = path.join(SCHEMAS_DIR, 'e.schema.json');

/** One problem found by a schema, placed by JSON pointer. */
export interface SchemaIssue {
  pointer: string;
  /** 'key' for an unknown property (the key is what to fix), else 'value'. */
  part: 'key' | 'value';
  message: string;
}

export interface ConfigValidation {
  issues: SchemaIssue[];
  /** Pointers of values the schema marks `x-secret`. */
  secretPointers: string[];
  /** String values the schema marks `x-element-ref`, with the Type the element named must be of. */
  references: Array<{ pointer: string; type: string }>;
  /** Keys present that the schema marks `x-deprecated`, with its text. */
  deprecated: Array<{ pointer: string; message: string }>;
}

type SchemaNode = Record<string, unknown>;

// Collect x-secret pointers, x-element-ref values and x-deprecated keys during one synchronous validate call.
let secretSink: string[] | undefined;
let referenceSink: ConfigValidation['references'] | undefined;
let deprecatedSink: ConfigValidation['deprecated'] | undefined;

interface OneOfGroups {
  groups: string[][];
  hint?: string;
}

function createAjv(useDefaults: boolean): Ajv {
  const ajv = new Ajv({ allErrors: true, verbose: true, useDefaults, strictTypes: false, strictTuples: false, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addKeyword({
    keyword: 'x-secret',
    schemaType: 'boolean',
    errors: false,
    validate: (isSecret: boolean, _data: unknown, _parent?: unknown, dataContext?: { instancePath: string }) => {
      if (isSecret && secretSink && dataContext) secretSink.push(dataContext.instancePath);
      return true;
    },
  });
  ajv.addKeyword({ keyword: 'x-hint', schemaType: 'string' });
  ajv.addKeyword({
    keyword: 'x-element-ref',
    schemaType: 'string',
    errors: false,
    validate: (type: string, data: unknown, _parent?: unknown, dataContext?: { instancePath: string }) => {
      if (referenceSink && dataContext && typeof data === 'string') referenceSink.push({ pointer: dataContext.instancePath, type });
      return true;
    },
  });
  ajv.addKeyword({
    keyword: 'x-deprecated',
    schemaType: 'string',
    errors: false,
    validate: (message: string, _data: unknown, _parent?: unknown, dataContext?: { instancePath: string }) => {
      if (deprecatedSink && dataContext) deprecatedSink.push({ pointer: dataContext.instancePath, message });
      return true;
    },
  });
  ajv.addKeyword({ keyword: 'x-oneOfGroups', type: 'object', schemaType: 'object', errors: true, validate: checkOneOfGroups });
  return ajv;
}

// app.json and e.json are validated without inserting defaults: the definition keeps the file as written.
let documentAjv: Ajv | undefined;
let configAjv: Ajv | undefined;
const documentValidators = new Map<string, ValidateFunction>();

function documentValidator(schemaFile: string): ValidateFunction {
  let validator = documentValidators.get(schemaFile);
  if (!validator) {
    documentAjv ??= createAjv(false);
    validator = documentAjv.compile(require(schemaFile) as SchemaNode);
    documentValidators.set(schemaFile, validator);
  }
  return validator;
}

export function validateAppJson(data: unknown): SchemaIssue[] {
  return runValidator(documentValidator(APP_SCHEMA_FILE), data, new Set());
}

export function validateEJson(data: unknown): SchemaIssue[] {
  return runValidator(documentValidator(ELEMENT_SCHEMA_FILE), data, new Set());
}

/** A Type's compiled configSchema. Validation inserts the schema's defaults into the data it is given. */
export class ConfigSchema {
  constructor(private readonly validator: ValidateFunction) {}

  /**
   * `knownSecrets`: pointers already known to be secret (values from {{ENV}}), never echoed either.
   * `at`: where the data sits in its file (e.g. `/dingtalk` for an app.json section), so messages
   * name the field as the author sees it; the issues' pointers stay relative to the data.
   */
  validate(data: unknown, knownSecrets: Iterable<string> = [], at = ''): ConfigValidation {
    const secretPointers: string[] = [];
    const references: ConfigValidation['references'] = [];
    const deprecated: ConfigValidation['deprecated'] = [];
    secretSink = secretPointers;
    referenceSink = references;
    deprecatedSink = deprecated;
    let issues: SchemaIssue[];
    try {
      issues = runValidator(this.validator, data, new Set(knownSecrets), at);
    } finally {
      secretSink = undefined;
      referenceSink = undefined;
      deprecatedSink = undefined;
    }
    return { issues, secretPointers: [...new Set(secretPointers)], references: uniqueBy(references, (r) => r.pointer), deprecated: uniqueBy(deprecated, (d) => d.pointer) };
  }
}

// Compiled config schemas by the parsed schema object: SourceFiles hands back the same object while
// the file is unchanged, so an edited schema is recompiled and an unchanged one never is.
const configSchemas = new WeakMap<object, ConfigSchema | { error: string }>();

/** Compiles a config schema (cached); a string is the reason it does not compile. */
export function compileConfigSchema(schema: object): ConfigSchema | string {
  let compiled = configSchemas.get(schema);
  if (!compiled) {
    configAjv ??= createAjv(true);
    const id = (schema as SchemaNode).$id;
    if (typeof id === 'string' && configAjv.getSchema(id)) configAjv.removeSchema(id);
    try {
      compiled = new ConfigSchema(configAjv.compile(schema));
    } catch (err) {
      compiled = { error: (err as Error).message };
    }
    configSchemas.set(schema, compiled);
  }
  return compiled instanceof ConfigSchema ? compiled : compiled.error;
}

/**
 * A copy of `config` with the defaults of the config schema in `schemaFile` filled in, for a config
 * the loader never saw (one made in code); its problems are not reported here.
 */
export function withConfigDefaults(schemaFile: string, config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const compiled = compileConfigSchema(require(schemaFile) as object);
  const copy = structuredClone(config) as Record<string, unknown>;
  if (typeof compiled !== 'string') compiled.validate(copy);
  return copy;
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}

/**
 * x-oneOfGroups: exactly one group's anchor (its first key) is present, and every other key of a group
 * only with its anchor. The errors name the key to remove (or the object, when no anchor is there).
 */
function checkOneOfGroups(rule: OneOfGroups, data: unknown): boolean {
  const self = checkOneOfGroups as unknown as { errors: Array<Partial<ErrorObject>> | null };
  self.errors = null;
  if (!data || typeof data !== 'object' || !Array.isArray(rule.groups)) return true;
  const present = (key: string) => Object.prototype.hasOwnProperty.call(data, key);
  const anchors = rule.groups.map((group) => group[0]);
  const given = anchors.filter(present);
  const why = rule.hint ? ` (${rule.hint})` : '';
  const errors: Array<Partial<ErrorObject>> = [];
  if (given.length === 0) {
    errors.push({ keyword: 'x-oneOfGroups', params: {}, message: `needs one of ${anchors.map((a) => `"${a}"`).join(' or ')}${why}: add one` });
  } else {
    for (const extra of given.slice(1)) {
      errors.push({ keyword: 'x-oneOfGroups', params: { key: extra }, message: `"${extra}" cannot be given together with "${given[0]}"${why}: keep one of them` });
    }
    const chosen = rule.groups.find((group) => group[0] === given[0])!;
    for (const group of rule.groups) {
      if (group === chosen) continue;
      for (const key of group.slice(1).filter(present)) {
        errors.push({ keyword: 'x-oneOfGroups', params: { key }, message: `"${key}" goes with "${group[0]}", not with "${given[0]}"${why}: remove it` });
      }
    }
  }
  if (errors.length === 0) return true;
  self.errors = errors;
  return false;
}

function runValidator(validator: ValidateFunction, data: unknown, secrets: Set<string>, at = ''): SchemaIssue[] {
  if (validator(data)) return [];
  return toIssues(validator.errors ?? [], validator.schema as SchemaNode, secrets, at);
}

/**
 * One issue per place: Ajv (allErrors) may report several keywords for one value, and an `anyOf`
 * reports each branch plus itself; the first specific error at a place says it best.
 */
function toIssues(errors: ErrorObject[], rootSchema: SchemaNode, secrets: Set<string>, at: string): SchemaIssue[] {
  const byPlace = new Map<string, ErrorObject>();
  for (const error of errors) {
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf' || error.keyword === 'if') continue;
    const place = placeOf(error).pointer + (error.keyword === 'required' ? `#${String(error.params.missingProperty)}` : '');
    if (!byPlace.has(place)) byPlace.set(place, error);
  }
  // An anyOf/oneOf with no specific error left (rare) still gets reported.
  for (const error of errors) if (!byPlace.has(error.instancePath) && (error.keyword === 'anyOf' || error.keyword === 'oneOf')) byPlace.set(error.instancePath, error);
  return [...byPlace.values()].map((error) => ({ ...placeOf(error), message: describeError(error, rootSchema, secrets, at) }));
}

function placeOf(error: ErrorObject): { pointer: string; part: 'key' | 'value' } {
  if (error.keyword === 'x-oneOfGroups' && typeof error.params.key === 'string') {
    return { pointer: appendPointer(error.instancePath, error.params.key), part: 'key' };
  }
  if (error.keyword === 'additionalProperties') {
    return { pointer: appendPointer(error.instancePath, String(error.params.additionalProperty)), part: 'key' };
  }
  return { pointer: error.instancePath, part: 'value' };
}

function describeError(error: ErrorObject, rootSchema: SchemaNode, secrets: Set<string>, at = ''): string {
  const { hint, secret: schemaSecret } = annotationsAt(rootSchema, error.schemaPath);
  const secret = schemaSecret || secrets.has(error.instancePath);
  const name = pointerLabel(at + error.instancePath) || 'the document';
  const node = (error.parentSchema ?? {}) as SchemaNode;
  const withHint = (text: string) => (hint ? `${text} (${hint})` : text);
  const data = error.data;

  switch (error.keyword) {
    case 'required': {
      const property = String(error.params.missingProperty);
      const propertyHint = ((node.properties as Record<string, SchemaNode> | undefined)?.[property]?.['x-hint']) as string | undefined;
      const where = at + error.instancePath ? name : 'The file';
      return `${where} is missing "${property}"${propertyHint ? ` (${propertyHint})` : ''}: add it`;
    }
    case 'additionalProperties': {
      const property = String(error.params.additionalProperty);
      const allowed = Object.keys((node.properties as SchemaNode | undefined) ?? {}).filter((k) => k !== '$schema');
      const [suggestion] = closestNames(property, allowed, 1);
      const where = at + error.instancePath ? ` in ${name}` : '';
      const didYouMean = suggestion ? `did you mean "${suggestion}"? ` : '';
      return `"${property}" is not allowed${where}: ${didYouMean}remove it or fix its spelling (allowed: ${allowed.join(', ') || 'none'})`;
    }
    case 'type':
      return `${withHint(`${name} must be ${withArticle(String(error.params.type))}`)}; found ${typeName(data)}`;
    case 'enum':
      return `${name} must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}${found(data, secret)}`;
    case 'x-oneOfGroups':
      return typeof error.params.key === 'string' ? String(error.message) : `${at + error.instancePath ? name : 'The file'} ${error.message}`;
    case 'const':
      return `${name} must be ${JSON.stringify(error.params.allowedValue)}${found(data, secret)}`;
    case 'minLength':
    case 'maxLength': {
      const length = typeof data === 'string' ? data.length : 0;
      return `${withHint(`${name} must be ${lengthRule(node.minLength as number | undefined, node.maxLength as number | undefined)}`)}; found ${length}`;
    }
    case 'pattern':
      return `${withHint(`${name} must match ${String(error.params.pattern)}`)}${found(data, secret)}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const rule = typeof node.minimum === 'number' && typeof node.maximum === 'number' ? `be between ${node.minimum} and ${node.maximum}` : String(error.message);
      return `${withHint(`${name} must ${rule.replace(/^must /, '')}`)}${found(data, secret)}`;
    }
    default:
      return `${withHint(`${name} ${error.message ?? 'is invalid'}`)}`;
  }
}

/**
 * The x-hint and x-secret that apply where an error was found: walks the schema along Ajv's
 * schemaPath, taking annotations from the property's own schema and anything nested in it (anyOf
 * branches), but not from enclosing objects.
 */
function annotationsAt(root: SchemaNode, schemaPath: string): { hint?: string; secret: boolean } {
  const segments = schemaPath.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  segments.pop(); // the failing keyword itself
  let node: unknown = root;
  let hint = root['x-hint'] as string | undefined;
  let secret = root['x-secret'] === true;
  for (let i = 0; i < segments.length && node && typeof node === 'object'; i++) {
    const segment = segments[i];
    const entersChild = ['properties', 'patternProperties', 'definitions', '$defs'].includes(segment);
    node = entersChild ? ((node as SchemaNode)[segment] as SchemaNode | undefined)?.[segments[++i]] : (node as SchemaNode)[segment];
    if (!node || typeof node !== 'object') break;
    const annotated = node as SchemaNode;
    if (entersChild || segment === 'items' || segment === 'additionalProperties') {
      hint = annotated['x-hint'] as string | undefined;
      secret = annotated['x-secret'] === true;
    } else {
      hint = (annotated['x-hint'] as string | undefined) ?? hint;
      secret = secret || annotated['x-secret'] === true;
    }
  }
  return { hint, secret };
}

function lengthRule(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && min === max) return `${min} characters`;
  if (min !== undefined && max !== undefined) return `between ${min} and ${max} characters`;
  return min !== undefined ? `at least ${min} characters` : `at most ${max} characters`;
}

function found(data: unknown, secret: boolean): string {
  if (secret) return '';
  let shown = JSON.stringify(data) ?? String(data);
  if (shown.length > 60) shown = `${shown.slice(0, 57)}...`;
  return `; found ${shown}`;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return withArticle(typeof value);
}

function withArticle(type: string): string {
  return type.split(',').map((t) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`)).join(' or ');
}
