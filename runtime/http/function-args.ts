/**
 * Turns a JSON body of named arguments into the positional arguments of an element function, in
 * its functionList order. A missing required argument or a value of the wrong JSON type for the
 * declared dataType is a 400 naming the argument, as is a NUL character in any string of an argument;
 * fields the function does not declare are ignored.
 */
import { JitError } from '../errors';
import type { FunctionSpec } from '../definitions';

type JsonKind = 'string' | 'number' | 'integer' | 'boolean' | 'any';

/** JitAi dataTypes by the JSON value they take. Unknown dataTypes accept any JSON value. */
const KIND_BY_DATA_TYPE: Record<string, JsonKind> = {
  stext: 'string',
  ltext: 'string',
  text: 'string',
  richtext: 'string',
  password: 'string',
  phone: 'string',
  email: 'string',
  date: 'string',
  datetime: 'string',
  time: 'string',
  numeric: 'number',
  number: 'number',
  money: 'number',
  percent: 'number',
  integer: 'integer',
  int: 'integer',
  boolean: 'boolean',
  bool: 'boolean',
  json: 'any',
};

export function jsonKindOf(dataType: string): JsonKind {
  return KIND_BY_DATA_TYPE[dataType.toLowerCase()] ?? 'any';
}

function matches(kind: JsonKind, value: unknown): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}

const KIND_WORDS: Record<JsonKind, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  any: 'a JSON value',
};

/**
 * The positional arguments for `spec` from `body` (already parsed JSON; undefined for no body).
 * `null` counts as absent: it is passed on as undefined for optional arguments.
 */
export function bindArguments(spec: FunctionSpec, body: unknown): unknown[] {
  if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
    throw new JitError('BAD_REQUEST', `Send the arguments of ${spec.name} as a JSON object of named values.`);
  }
  const named = (body ?? {}) as Record<string, unknown>;
  return (spec.args ?? []).map((arg) => {
    const value = Object.prototype.hasOwnProperty.call(named, arg.name) ? named[arg.name] : undefined;
    if (value === undefined || value === null) {
      if (arg.required) {
        throw new JitError('BAD_REQUEST', `Missing argument "${arg.name}" of ${spec.name}.`, { argument: arg.name });
      }
      return undefined;
    }
    const kind = jsonKindOf(arg.dataType);
    if (!matches(kind, value)) {
      throw new JitError('BAD_REQUEST', `Argument "${arg.name}" of ${spec.name} must be ${KIND_WORDS[kind]} (dataType ${arg.dataType}).`, {
        argument: arg.name,
      });
    }
    if (containsNul(value)) {
      throw new JitError('BAD_REQUEST', `Argument "${arg.name}" of ${spec.name} contains a NUL character.`, { argument: arg.name });
    }
    return value;
  });
}

/**
 * Whether a string anywhere in `value` (keys included) holds U+0000. No legitimate argument does,
 * and PostgreSQL refuses it in text columns, so a query with one would fail as a server error.
 * Iterative: a body may nest thousands of levels deep.
 */
export function containsNul(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (next.includes('\u0000')) return true;
    } else if (next && typeof next === 'object') {
      for (const [key, inner] of Object.entries(next)) {
        if (key.includes('\u0000')) return true;
        pending.push(inner);
      }
    }
  }
  return false;
}
