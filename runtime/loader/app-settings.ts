/**
 * App-settings stage: sections of app.json that element Types declare. A Type's e.json may name
 * `appSettings: { "<key>": "<schema file>" }`: the app.json key its family owns (e.g. `dingtalk`, by
 * the DingTalk login Type) and the JSON Schema that key's value must match. The runtime's own schema
 * (schemas/app.schema.json) covers identity and the core settings; this stage checks every other key
 * of each layer's app.json against the declared sections (an undeclared key is APP_JSON_INVALID, with
 * a did-you-mean), fills in each section's defaults, and hands each layer's settings its sections
 * (`app.settings.section(key)`). A section that is wrong falls back to its defaults, as a core
 * setting does, after the diagnostic says what is wrong.
 */
import type { LoadContext } from './context';
import { closestNames } from './names';
import type { AppLayer, DraftMap, ElementDraft } from './types';
import { compileConfigSchema, type ConfigSchema } from './validate';
import { coreAppJsonKeys, withSections } from '../settings';
import { deepFreeze } from '../deep-freeze';

interface DeclaredSection {
  owner: ElementDraft;
  file: string;
  schema: ConfigSchema;
}

export function declareAppSettings(drafts: DraftMap, layers: readonly AppLayer[], ctx: LoadContext): void {
  const core = new Set(coreAppJsonKeys());
  const declared = new Map<string, DeclaredSection>();
  for (const draft of drafts.values()) {
    if (draft.level === 'instance' || !draft.spec.appSettings) continue;
    for (const [key, file] of Object.entries(draft.spec.appSettings)) {
      const place = { file: draft.eJsonFile, pointer: `/appSettings/${key}` };
      if (core.has(key)) {
        ctx.report('E_JSON_INVALID', { ...place, part: 'key' }, `"${key}" is a key of app.json the runtime owns: name the section otherwise`, draft);
        continue;
      }
      const earlier = declared.get(key);
      if (earlier && earlier.file !== file) {
        ctx.report('E_JSON_INVALID', { ...place, part: 'key' }, `The app.json section "${key}" is declared by ${earlier.owner.fullName} already: name this one otherwise`, draft, {
          related: [{ file: earlier.owner.eJsonFile, pointer: `/appSettings/${key}` }],
        });
        continue;
      }
      if (earlier) continue;
      const schema = readSectionSchema(draft, file, place, ctx);
      if (schema) declared.set(key, { owner: draft, file, schema });
    }
  }

  for (const layer of layers) {
    // Read (and reported on) by the app-stack stage already: not reported twice.
    const read = ctx.files.read(layer.appJsonFile);
    const data = read.status === 'ok' && isRecord(read.data) ? read.data : {};
    const sections = new Map<string, unknown>();
    for (const key of Object.keys(data)) {
      if (core.has(key) || declared.has(key)) continue;
      const [suggestion] = closestNames(key, [...core, ...declared.keys()].filter((k) => k !== '$schema'), 1);
      ctx.report(
        'APP_JSON_INVALID',
        { file: layer.appJsonFile, pointer: `/${key}`, part: 'key' },
        `"${key}" is not allowed: ${suggestion ? `did you mean "${suggestion}"? ` : ''}remove it or fix its spelling (app.json holds the runtime's keys and the sections element Types declare: ${[...declared.keys()].join(', ') || 'none'})`,
      );
    }
    for (const [key, section] of declared) {
      let value: unknown = key in data ? structuredClone(data[key]) : {};
      const issues = section.schema.validate(value, [], `/${key}`).issues;
      for (const issue of issues) {
        ctx.report('APP_JSON_INVALID', { file: layer.appJsonFile, pointer: `/${key}${issue.pointer}`, part: issue.part }, issue.message);
      }
      if (issues.length > 0) {
        value = {};
        section.schema.validate(value);
      }
      sections.set(key, deepFreeze(value));
    }
    layer.settings = withSections(layer.settings, sections);
  }
}

function readSectionSchema(draft: ElementDraft, file: string, place: { file: string; pointer: string }, ctx: LoadContext): ConfigSchema | undefined {
  const read = ctx.readJson(file, draft);
  if (read.status === 'missing') {
    ctx.report('E_JSON_INVALID', place, `appSettings names a file that does not exist (${ctx.displayPath(file)}): fix the path (relative to the element folder)`, draft);
    return undefined;
  }
  if (read.status !== 'ok') return undefined;
  const compiled = isRecord(read.data) ? compileConfigSchema(read.data) : 'not a JSON Schema object';
  if (typeof compiled === 'string') {
    ctx.report('E_JSON_INVALID', place, `appSettings ${ctx.displayPath(file)} is not a valid JSON Schema (draft-07): ${compiled}`, draft);
    return undefined;
  }
  return compiled;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

