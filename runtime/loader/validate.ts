/**
 * Validate stage: app.json and e.json against the package's JSON Schemas, and business config
 * against a Type's configSchema (Ajv, draft-07). Each schema is compiled once per process (a config
 * schema again only when its file changes). Ajv's errors become issues that name the field, say
 * what it must be and what was found, and never echo a secret.
 *
 * Schema keywords of our own: `x-secret: true` marks a value as a secret (registered for redaction,
 * listed in the definition's secretPointers); `x-hint` is the plain-words description messages use.
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
}

type SchemaNode = Record<string, unknown>;

// Collects x-secret pointers during one synchronous validate call.
let secretSink: string[] | undefined;

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

  /** `knownSecrets`: pointers already known to be secret (values from {{ENV}}), never echoed either. */
  validate(data: unknown, knownSecrets: Iterable<string> = []): ConfigValidation {
    const secretPointers: string[] = [];
    secretSink = secretPointers;
    let issues: SchemaIssue[];
    try {
      issues = runValidator(this.validator, data, new Set(knownSecrets));
    } finally {
      secretSink = undefined;
    }
    return { issues, secretPointers: [...new Set(secretPointers)] };
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

function runValidator(validator: ValidateFunction, data: unknown, secrets: Set<string>): SchemaIssue[] {
  if (validator(data)) return [];
  return toIssues(validator.errors ?? [], validator.schema as SchemaNode, secrets);
}

/**
 * One issue per place: Ajv (allErrors) may report several keywords for one value, and an `anyOf`
 * reports each branch plus itself; the first specific error at a place says it best.
 */
function toIssues(errors: ErrorObject[], rootSchema: SchemaNode, secrets: Set<string>): SchemaIssue[] {
  const byPlace = new Map<string, ErrorObject>();
  for (const error of errors) {
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf' || error.keyword === 'if') continue;
    const place = placeOf(error).pointer + (error.keyword === 'required' ? `#${String(error.params.missingProperty)}` : '');
    if (!byPlace.has(place)) byPlace.set(place, error);
  }
  // An anyOf/oneOf with no specific error left (rare) still gets reported.
  for (const error of errors) if (!byPlace.has(error.instancePath) && (error.keyword === 'anyOf' || error.keyword === 'oneOf')) byPlace.set(error.instancePath, error);
  return [...byPlace.values()].map((error) => ({ ...placeOf(error), message: describeError(error, rootSchema, secrets) }));
}

function placeOf(error: ErrorObject): { pointer: string; part: 'key' | 'value' } {
  if (error.keyword === 'additionalProperties') {
    return { pointer: appendPointer(error.instancePath, String(error.params.additionalProperty)), part: 'key' };
  }
  return { pointer: error.instancePath, part: 'value' };
}

function describeError(error: ErrorObject, rootSchema: SchemaNode, secrets: Set<string>): string {
  const { hint, secret: schemaSecret } = annotationsAt(rootSchema, error.schemaPath);
  const secret = schemaSecret || secrets.has(error.instancePath);
  const name = pointerLabel(error.instancePath) || 'the document';
  const node = (error.parentSchema ?? {}) as SchemaNode;
  const withHint = (text: string) => (hint ? `${text} (${hint})` : text);
  const data = error.data;

  switch (error.keyword) {
    case 'required': {
      const property = String(error.params.missingProperty);
      const propertyHint = ((node.properties as Record<string, SchemaNode> | undefined)?.[property]?.['x-hint']) as string | undefined;
      const where = error.instancePath ? name : 'The file';
      return `${where} is missing "${property}"${propertyHint ? ` (${propertyHint})` : ''}: add it`;
    }
    case 'additionalProperties': {
      const property = String(error.params.additionalProperty);
      const allowed = Object.keys((node.properties as SchemaNode | undefined) ?? {}).filter((k) => k !== '$schema');
      const [suggestion] = closestNames(property, allowed, 1);
      const where = error.instancePath ? ` in ${name}` : '';
      const didYouMean = suggestion ? `did you mean "${suggestion}"? ` : '';
      return `"${property}" is not allowed${where}: ${didYouMean}remove it or fix its spelling (allowed: ${allowed.join(', ') || 'none'})`;
    }
    case 'type':
      return `${withHint(`${name} must be ${withArticle(String(error.params.type))}`)}; found ${typeName(data)}`;
    case 'enum':
      return `${name} must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}${found(data, secret)}`;
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
