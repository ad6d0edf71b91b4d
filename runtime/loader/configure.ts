/**
 * Configure stage: an Instance's business config (`<folder>/<folder>.json`) gets its {{NAME}}
 * references resolved, is validated against the nearest configSchema in its type chain (after
 * resolution, with errors placed in the file as written), has the schema's defaults filled in, and
 * has its secrets registered for redaction. Fields the schema marks as element references are
 * collected for the references stage; keys it marks deprecated are reported as warnings.
 */
import * as path from 'path';
import type { LoadContext } from './context';
import { resolveEnvReferences } from './env';
import { getAtPointer, pointerLabel } from './json-pointer';
import { ownConfigFile } from './link';
import { secretEnvName } from './names';
import type { DraftMap, ElementDraft } from './types';
import { compileConfigSchema, type ConfigSchema } from './validate';

export function configureInstances(drafts: DraftMap, ctx: LoadContext): void {
  const schemas = new Map<ElementDraft, ConfigSchema | undefined>();
  const schemaOf = (type: ElementDraft): ConfigSchema | undefined => {
    if (!schemas.has(type)) schemas.set(type, loadConfigSchema(type, ctx));
    return schemas.get(type);
  };

  for (const draft of drafts.values()) {
    if (draft.level !== 'instance' || !draft.linked) continue;
    const schemaOwner = draft.typeChain.map((name) => drafts.get(name)).find((type) => type?.spec.configSchema);
    const configFile = ownConfigFile(draft);
    const read = ctx.readJson(configFile, draft);
    if (read.status === 'missing') {
      if (schemaOwner) {
        ctx.report(
          'CONFIG_MISSING',
          { file: draft.eJsonFile },
          `${draft.fullName} is an Instance of ${schemaOwner.fullName}, which needs a business config: create ${ctx.displayPath(configFile)} (its schema: ${ctx.displayPath(schemaOwner.spec.configSchema!)})`,
          draft,
        );
      }
      continue;
    }
    if (read.status !== 'ok') continue;
    draft.configFile = configFile;
    if (!read.data || typeof read.data !== 'object' || Array.isArray(read.data)) {
      ctx.report('CONFIG_INVALID', { file: configFile }, `The business config must be a JSON object ({ ... }); found ${Array.isArray(read.data) ? 'an array' : typeof read.data}`, draft);
      continue;
    }
    // `$schema` is editor metadata (written by `jit create`), not config.
    const { $schema: _editorSchema, ...written } = read.data as Record<string, unknown>;
    const resolved = resolveEnvReferences(written, ctx.env);
    for (const { pointer, name } of resolved.missing) {
      ctx.report(
        'ENV_MISSING',
        { file: configFile, pointer },
        `${pointerLabel(pointer)} references {{${name}}}, but ${name} is not set: add ${name}=... to ${path.join(ctx.appDir, '.env')} or set it in the environment`,
        draft,
      );
    }
    for (const pointer of resolved.forbiddenKeys) {
      ctx.report(
        'CONFIG_KEY_FORBIDDEN',
        { file: configFile, pointer, part: 'key' },
        `${pointerLabel(pointer)} is not allowed as a config key: it would change the prototype of the object it is in, hiding values from validation and from \`jit show\`. Remove it, or rename it`,
        draft,
      );
    }
    const config = resolved.value as Record<string, unknown>;
    const secretPointers = new Set(resolved.resolved);
    const unresolved = new Set(resolved.missing.map((m) => m.pointer));
    const schema = schemaOwner ? schemaOf(schemaOwner) : undefined;
    if (schemaOwner && !schema) continue; // the Type's schema is broken: reported there, and propagate marks this element
    if (schema) {
      const result = schema.validate(config, secretPointers);
      for (const issue of result.issues) {
        if (unresolved.has(issue.pointer)) continue; // ENV_MISSING already says what is wrong there
        ctx.report('CONFIG_INVALID', { file: configFile, pointer: issue.pointer, part: issue.part }, issue.message, draft);
      }
      for (const pointer of result.secretPointers) {
        secretPointers.add(pointer);
        const asWritten = getAtPointer(written, pointer);
        if (typeof asWritten === 'string' && asWritten && !asWritten.includes('{{')) {
          ctx.report(
            'SECRET_LITERAL',
            { file: configFile, pointer },
            `${pointerLabel(pointer)} is a secret written into the file: write "{{${secretEnvName(draft.fullName, pointer)}}}" instead and set that variable in .env (kept out of version control)`,
            draft,
            { severity: 'warning' },
          );
        }
      }
      draft.references = result.references.map(({ pointer, type }) => ({ pointer, type, target: getAtPointer(config, pointer) as string }));
      for (const { pointer, message } of result.deprecated) {
        if (getAtPointer(written, pointer) === undefined) continue; // a default the schema filled in
        ctx.report('CONFIG_DEPRECATED', { file: configFile, pointer, part: 'key' }, fillTemplate(message, draft.fullName), draft, { severity: 'warning' });
      }
    }
    draft.config = config;
    draft.secretPointers = [...secretPointers].sort();
    // Registered here, once per load, in the app's registry: the one place a config secret is
    // registered (an element reading its config finds it masked already). An unresolved reference is
    // the variable's name, not a secret.
    for (const pointer of draft.secretPointers) if (!unresolved.has(pointer)) ctx.secrets.register(getAtPointer(config, pointer));
  }
}

/** `{fullName}` and `{name}` (its last segment) in a schema's message, so it can name the command to run. */
function fillTemplate(message: string, fullName: string): string {
  return message.replace(/\{fullName\}/g, fullName).replace(/\{name\}/g, fullName.slice(fullName.lastIndexOf('.') + 1));
}

function loadConfigSchema(type: ElementDraft, ctx: LoadContext): ConfigSchema | undefined {
  const file = type.spec.configSchema!;
  const place = { file: type.eJsonFile, pointer: '/configSchema' };
  const read = ctx.readJson(file, type);
  if (read.status === 'missing') {
    ctx.report('E_JSON_INVALID', place, `configSchema names a file that does not exist (${ctx.displayPath(file)}): fix the path (relative to the element folder)`, type);
    return undefined;
  }
  if (read.status !== 'ok') return undefined;
  if (!read.data || typeof read.data !== 'object' || Array.isArray(read.data)) {
    ctx.report('E_JSON_INVALID', place, `configSchema ${ctx.displayPath(file)} is not a JSON Schema object`, type);
    return undefined;
  }
  const compiled = compileConfigSchema(read.data);
  if (typeof compiled === 'string') {
    ctx.report('E_JSON_INVALID', place, `configSchema ${ctx.displayPath(file)} is not a valid JSON Schema (draft-07): ${compiled}`, type);
    return undefined;
  }
  return compiled;
}
