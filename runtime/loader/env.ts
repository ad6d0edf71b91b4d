/**
 * {{NAME}} references in business config. Values come from the `env` option over the process
 * environment over the app folder's `.env` file, parsed with dotenv's parser (the file is read, never
 * loaded into process.env). A resolved value is treated as a secret: its pointer is recorded.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseDotEnv } from 'dotenv';
import { appendPointer } from './json-pointer';
import type { Env } from './context';

const REFERENCE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * The environment an app sees, read once per load: `<appDir>/.env`, under the process environment
 * (`base`, default process.env), under `overrides` (LoadAppOptions.env). Undefined values are skipped.
 */
export function readAppEnv(appDir: string, overrides: Env = {}, base: Env = process.env): Readonly<Record<string, string>> {
  const merged: Record<string, string> = {};
  const dotEnvFile = path.join(appDir, '.env');
  if (fs.existsSync(dotEnvFile)) Object.assign(merged, parseDotEnv(fs.readFileSync(dotEnvFile)));
  for (const layer of [base, overrides]) {
    for (const [name, value] of Object.entries(layer)) if (value !== undefined) merged[name] = value;
  }
  return Object.freeze(merged);
}

export interface EnvReference {
  pointer: string;
  name: string;
}

export interface ResolvedConfig {
  /** A deep copy of the input with every reference replaced (missing ones left as written). */
  value: unknown;
  /** Pointers whose value came (wholly or partly) from the environment. */
  resolved: string[];
  missing: EnvReference[];
  /** Pointers of keys left out because they would reach an object's prototype (`__proto__`, `constructor`, `prototype`). */
  forbiddenKeys: string[];
}

/**
 * Keys that would reach an object's prototype when a config is copied or merged: `"__proto__": {...}`
 * in a file becomes the copy's prototype, so a hidden value passes `jit validate`, is left out by
 * `jit show` and is still used at run time. They are never copied, and reported.
 */
export const FORBIDDEN_CONFIG_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Resolves {{NAME}} references anywhere in a JSON value, in strings whole or embedded; objects are copied with a null prototype. */
export function resolveEnvReferences(input: unknown, env: Env): ResolvedConfig {
  const resolved: string[] = [];
  const missing: EnvReference[] = [];
  const forbiddenKeys: string[] = [];
  const walk = (node: unknown, pointer: string): unknown => {
    if (typeof node === 'string') {
      if (!node.includes('{{')) return node;
      let usedEnv = false;
      const replaced = node.replace(REFERENCE, (whole, name: string) => {
        const value = env[name];
        if (value === undefined) {
          missing.push({ pointer, name });
          return whole;
        }
        usedEnv = true;
        return value;
      });
      if (usedEnv) resolved.push(pointer);
      return replaced;
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, appendPointer(pointer, i)));
    if (node && typeof node === 'object') {
      // A null-prototype copy: nothing a key says can reach Object.prototype or the copy's prototype.
      const copy: Record<string, unknown> = Object.create(null);
      for (const [key, value] of Object.entries(node)) {
        if (FORBIDDEN_CONFIG_KEYS.has(key)) forbiddenKeys.push(appendPointer(pointer, key));
        else copy[key] = walk(value, appendPointer(pointer, key));
      }
      return copy;
    }
    return node;
  };
  return { value: walk(input, ''), resolved, missing, forbiddenKeys };
}
