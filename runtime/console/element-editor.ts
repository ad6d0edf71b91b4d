/**
 * Creating and editing a login instance from the console's form: the draft becomes the same files
 * `jit create` writes (`e.json` and `<name>.json`, each with its `$schema`), checked by the loader
 * itself (`app.checkDraft`: the diagnostics `jit validate` would print), and saved for hot reload to
 * apply. What the form may write is narrow (DECISIONS #15):
 *   - only `title` in e.json (never `type`, `backendBundleEntry`, `functionList`; a new instance gets
 *     the Type it was created from) and the business config, inside the element's own folder;
 *   - secrets only as `{{NAME}}` references: a secret field takes the name of an environment
 *     variable, and a value that is not a reference is refused, so no secret is ever written;
 *   - nothing when the host is not watching (the files would not take effect) or cannot write the
 *     folder, and nothing over a file that changed since the form read it (the form sends the
 *     files' stamp back).
 * Several hosts each reload only their own files: the page says to deploy element files like code.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { AppHandle } from '../app-types';
import type { ElementDefinition } from '../definitions';
import { formatDiagnostic, type Diagnostic } from '../diagnostics';
import { JitError } from '../errors';
import type { Caller } from '../http/session-auth';
import { LOGIN_NAMESPACE, LOGIN_TYPES_META } from '../http/pages/login-instances';
import { elementPath, ELEMENT_SCHEMA_FILE } from '../loader';
import { appendPointer, getAtPointer, pointerSegments } from '../loader/json-pointer';
import { isValidSegment, secretEnvName } from '../loader/names';
import type { ReloadEvent } from '../watch';
import { consoleActor } from './gate';

/** How long a save waits for the host's hot reload to pick the files up. */
export const RELOAD_WAIT_MS = 10_000;
const REFERENCE_ONLY = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface DraftInput {
  mode: 'create' | 'edit';
  fullName: string;
  /** The Type of a new instance (ignored when editing: an instance keeps its type). */
  type?: string;
  title: string;
  /** The business config, with secrets as `{{NAME}}` (an empty secret gets the suggested variable). */
  config?: Record<string, unknown>;
  /** When editing: the stamp of the files the form was opened with. */
  stamp?: string;
}

/** Where a draft goes and what it is checked against. */
export interface DraftTarget {
  mode: 'create' | 'edit';
  fullName: string;
  dir: string;
  eJsonFile: string;
  configFile: string;
  /** The Type (a new instance's, or the edited instance's). */
  type: ElementDefinition;
  schemaFile?: string;
  schema?: Record<string, unknown>;
  existing?: ElementDefinition;
}

export interface DiagnosticView {
  severity: Diagnostic['severity'];
  code: string;
  /** Relative to the app folder. */
  file: string;
  line: number;
  col: number;
  pointer: string;
  /** Which draft file it is in: the business config, e.json, or another file. */
  place: 'config' | 'eJson' | 'other';
  message: string;
  /** `file:line:col CODE message`, as `jit validate` prints it. */
  text: string;
}

export interface SecretField {
  pointer: string;
  /** The environment variable the file references (or will). */
  variable: string;
  /** Whether this host has it; null when not known yet. */
  set: boolean | null;
}

export interface DraftCheckResult {
  diagnostics: DiagnosticView[];
  secrets: SecretField[];
  files: string[];
}

/** The Types a login instance can be created from. */
export function loginTypes(app: AppHandle): ElementDefinition[] {
  return app
    .findElements({ type: LOGIN_TYPES_META, level: 'type' })
    .filter((d) => d.accessModifier !== 'private' || d.appId === app.appId);
}

/** Validates where the draft goes: a new login instance's name and Type, or an instance of this app. */
export function resolveTarget(app: AppHandle, input: Pick<DraftInput, 'mode' | 'fullName' | 'type'>): DraftTarget {
  if (input.mode !== 'create' && input.mode !== 'edit') throw new JitError('BAD_REQUEST', 'mode must be "create" or "edit"');
  const fullName = typeof input.fullName === 'string' ? input.fullName.trim() : '';
  if (!fullName.startsWith(LOGIN_NAMESPACE) || fullName.length > 200) {
    throw new JitError('BAD_REQUEST', `A login instance's fullName starts with ${LOGIN_NAMESPACE} (e.g. ${LOGIN_NAMESPACE}staffLogin)`, { field: 'fullName' });
  }
  const segments = fullName.split('.');
  const bad = segments.find((segment) => !isValidSegment(segment));
  if (bad !== undefined) {
    throw new JitError('BAD_REQUEST', `"${bad}" cannot be part of a fullName: start with a letter and use only letters, digits and underscores`, { field: 'fullName' });
  }
  const name = segments[segments.length - 1];
  if (input.mode === 'create') {
    if (app.getDefinition(fullName)) throw new JitError('BAD_REQUEST', `${fullName} exists already: choose another name, or edit it`, { field: 'fullName' });
    const type = loginTypes(app).find((d) => d.fullName === input.type);
    if (!type) throw new JitError('BAD_REQUEST', `type must be one of the login Types: ${loginTypes(app).map((d) => d.fullName).join(', ')}`, { field: 'type' });
    const dir = path.join(app.dir, ...segments);
    return withSchema(app, { mode: 'create', fullName, dir, eJsonFile: path.join(dir, 'e.json'), configFile: path.join(dir, `${name}.json`), type });
  }
  const existing = app.getDefinition(fullName);
  if (!existing || existing.level !== 'instance' || !existing.typeChain.includes(LOGIN_TYPES_META)) {
    throw new JitError('NOT_FOUND', `${fullName} is not a login instance of this app`);
  }
  if (existing.appId !== app.appId) {
    throw new JitError('BAD_REQUEST', `${fullName} is defined by ${existing.appId} (${existing.dir}): edit it in that app, or override it with an instance of this app's own`);
  }
  const type = app.getDefinition(existing.type);
  if (!type) throw new JitError('BAD_REQUEST', `${fullName} names a type that does not exist (${existing.type}): fix its e.json first`);
  return withSchema(app, { mode: 'edit', fullName, dir: existing.dir, eJsonFile: existing.eJsonFile, configFile: existing.configFile ?? path.join(existing.dir, `${name}.json`), type, existing });
}

/** The target of the form for a new instance of `typeName` (the first login Type when it is not one), before it has a name. */
export function newInstanceTarget(app: AppHandle, typeName: string): DraftTarget {
  const types = loginTypes(app);
  const type = types.find((d) => d.fullName === typeName) ?? types.find((d) => elementPath(d.dir, d.eJson, 'configSchema')) ?? types[0];
  if (!type) throw new JitError('NOT_FOUND', 'This app has no login Type to create an instance of');
  return withSchema(app, { mode: 'create', fullName: '', dir: app.dir, eJsonFile: path.join(app.dir, 'e.json'), configFile: path.join(app.dir, 'config.json'), type });
}

function withSchema(app: AppHandle, target: DraftTarget): DraftTarget {
  for (const definition of [target.type, ...target.type.typeChain.map((name) => app.getDefinition(name))]) {
    const file = definition && elementPath(definition.dir, definition.eJson, 'configSchema');
    if (!file) continue;
    try {
      return { ...target, schemaFile: file, schema: JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown> };
    } catch {
      return { ...target, schemaFile: file };
    }
  }
  return target;
}

/** Why this host may not write the target's files, or null when it may. */
export function editRefusal(app: AppHandle, target: DraftTarget): { reason: 'notWatching' | 'readOnly'; dir: string } | null {
  if (!app.watcher) return { reason: 'notWatching', dir: target.dir };
  const writable = (file: string) => {
    try {
      fs.accessSync(file, fs.constants.W_OK);
      return true;
    } catch {
      return false;
    }
  };
  let folder = target.dir;
  while (!fs.existsSync(folder) && path.dirname(folder) !== folder) folder = path.dirname(folder);
  const files = [target.eJsonFile, target.configFile].filter((file) => fs.existsSync(file));
  if (!writable(folder) || !files.every(writable)) return { reason: 'readOnly', dir: path.relative(app.dir, target.dir) || target.dir };
  return null;
}

/** A digest of the target's files as they are now ('' for a missing one): the form's stamp. */
export function fileStamp(target: DraftTarget): string {
  const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null);
  return createHash('sha256').update(JSON.stringify([read(target.eJsonFile), read(target.configFile)])).digest('base64url').slice(0, 32);
}

/** The x-secret fields of a config schema, as JSON pointers (objects only; secrets do not sit in arrays). */
export function secretPointers(schema: Record<string, unknown> | undefined): string[] {
  const found: string[] = [];
  const walk = (node: unknown, pointer: string) => {
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record['x-secret'] === true && pointer !== '') found.push(pointer);
    const properties = record.properties;
    if (properties && typeof properties === 'object') {
      for (const [key, child] of Object.entries(properties as Record<string, unknown>)) if (key !== '$schema') walk(child, appendPointer(pointer, key));
    }
  };
  walk(schema, '');
  return found;
}

/**
 * The config to write: a plain object without `$schema`, every secret a `{{NAME}}` reference (an
 * empty one gets the suggested variable, as `jit create` writes it). A secret given any other way is
 * refused, naming the field: the form never writes a secret in clear.
 */
export function cleanConfig(target: DraftTarget, config: unknown): Record<string, unknown> {
  if (config === undefined || config === null) return {};
  if (typeof config !== 'object' || Array.isArray(config)) throw new JitError('BAD_REQUEST', 'config must be a JSON object (the business config)', { field: 'config' });
  const { $schema: _editorOnly, ...clean } = structuredClone(config) as Record<string, unknown>;
  for (const pointer of secretPointers(target.schema)) {
    const segments = pointerSegments(pointer);
    const parent = getAtPointer(clean, segments.length > 1 ? '/' + segments.slice(0, -1).map(escapeSegment).join('/') : '') as Record<string, unknown> | undefined;
    if (!parent || typeof parent !== 'object' || Array.isArray(parent)) continue;
    const key = segments[segments.length - 1];
    const value = parent[key];
    if (value === undefined || value === null || value === '') {
      parent[key] = `{{${secretEnvName(target.fullName, pointer)}}}`;
    } else if (typeof value !== 'string' || !REFERENCE_ONLY.test(value)) {
      throw new JitError('BAD_REQUEST', `${pointer.slice(1).split('/').join('.')} is a secret: give the name of an environment variable that holds it (written as {{NAME}}), never the secret itself`, { field: pointer });
    }
  }
  return clean;
}

/** The files a draft becomes, as text, by absolute path. */
export function draftFiles(app: AppHandle, target: DraftTarget, input: Pick<DraftInput, 'title' | 'config'>): Map<string, string> {
  const title = typeof input.title === 'string' ? input.title.trim() : '';
  if (title.length > 200) throw new JitError('BAD_REQUEST', 'title must be at most 200 characters', { field: 'title' });
  const files = new Map<string, string>();
  if (target.mode === 'create') {
    files.set(target.eJsonFile, json({ $schema: schemaReference(target.dir, ELEMENT_SCHEMA_FILE), title, type: target.type.fullName }));
    if (target.schemaFile) files.set(target.configFile, json({ $schema: schemaReference(target.dir, target.schemaFile), ...cleanConfig(target, input.config) }));
    return files;
  }
  // Editing: e.json keeps every key as written but the title; the config keeps its $schema.
  const eJson = readObject(target.eJsonFile, 'e.json');
  eJson.title = title;
  files.set(target.eJsonFile, json(eJson));
  if (target.schemaFile) {
    const previous = fs.existsSync(target.configFile) ? readObject(target.configFile, path.basename(target.configFile)) : {};
    const schemaRef = typeof previous.$schema === 'string' ? previous.$schema : schemaReference(target.dir, target.schemaFile);
    files.set(target.configFile, json({ $schema: schemaRef, ...cleanConfig(target, input.config) }));
  }
  return files;
}

/** Runs the loader over the app with the draft in place of (or besides) the files: the diagnostics `jit validate` would print. */
export function checkDraft(app: AppHandle, input: DraftInput): DraftCheckResult & { target: DraftTarget; draft: Map<string, string> } {
  const target = resolveTarget(app, input);
  const draft = draftFiles(app, target, input);
  const verdict = app.checkDraft(draft);
  const relevant = verdict.diagnostics.filter((d) => d.fullName === target.fullName || draft.has(d.file));
  const missing = new Set(relevant.filter((d) => d.code === 'ENV_MISSING' && d.file === target.configFile).map((d) => d.pointer));
  const written = draft.has(target.configFile) ? (JSON.parse(draft.get(target.configFile)!) as Record<string, unknown>) : {};
  const secrets: SecretField[] = [];
  for (const pointer of secretPointers(target.schema)) {
    const value = getAtPointer(written, pointer);
    const match = typeof value === 'string' ? REFERENCE_ONLY.exec(value) : null;
    if (match) secrets.push({ pointer, variable: match[1], set: !missing.has(pointer) });
  }
  return {
    target,
    draft,
    diagnostics: relevant.map((d) => diagnosticView(app, target, d)),
    secrets,
    files: [...draft.keys()].map((file) => path.relative(app.dir, file)),
  };
}

export interface SaveResult {
  files: string[];
  /** The host reloaded the files. */
  reloaded: boolean;
  /** The instance loaded without errors after the reload. */
  live: boolean;
  diagnostics: DiagnosticView[];
}

/** Checks, then writes the draft (refusing as the module comment says) and waits for the hot reload. */
export async function saveDraft(app: AppHandle, caller: Caller, input: DraftInput): Promise<SaveResult> {
  const checked = checkDraft(app, input);
  const { target, draft } = checked;
  const refusal = editRefusal(app, target);
  if (refusal) {
    throw new JitError(
      'EDIT_REFUSED',
      refusal.reason === 'notWatching'
        ? 'This host is not watching its files (start it with jit serve --watch): a saved file would not take effect here, so nothing was written.'
        : `This host cannot write ${refusal.dir}: nothing was written.`,
      { reason: refusal.reason },
    );
  }
  if (target.mode === 'edit' && input.stamp !== fileStamp(target)) {
    throw new JitError('FILE_CHANGED', `${path.relative(app.dir, target.dir)} changed on disk since the form was opened; nothing was overwritten. Reload the page to edit the current version.`);
  }
  if (target.mode === 'create' && [...draft.keys()].some((file) => fs.existsSync(file))) {
    throw new JitError('FILE_CHANGED', `${path.relative(app.dir, target.dir)} appeared on disk since the form was opened; nothing was overwritten.`);
  }
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    throw new JitError('BAD_REQUEST', `The draft has ${errors.length} problem(s); nothing was written. First: ${errors[0].text}`, { diagnostics: errors });
  }

  // e.json last: it is what makes a folder an element, so no reload sees a new element without its config.
  const order = [...draft.keys()].sort((a, b) => Number(a === target.eJsonFile) - Number(b === target.eJsonFile));
  const reload = waitForReload(app, [order[order.length - 1]]);
  try {
    fs.mkdirSync(target.dir, { recursive: true });
    for (const file of order) writeAtomically(file, draft.get(file)!, target.mode === 'create');
  } catch (err) {
    reload.cancel();
    throw new JitError('EDIT_REFUSED', `Writing ${path.relative(app.dir, target.dir)} failed: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { reason: 'writeFailed' });
  }
  await app.audit.record({
    type: target.mode === 'create' ? 'admin.instance.created' : 'admin.instance.updated',
    instance: target.fullName,
    details: { ...consoleActor(caller), type: target.type.fullName, files: checked.files },
  });
  const event = await reload.done;
  const definition = app.getDefinition(target.fullName);
  return {
    files: checked.files,
    reloaded: event !== null,
    live: event !== null && !!definition?.valid,
    diagnostics: (definition?.diagnostics ?? []).map((d) => diagnosticView(app, target, d)),
  };
}

/** Resolves with the watcher's reload that picked up `files`, or null after RELOAD_WAIT_MS. */
function waitForReload(app: AppHandle, files: string[]): { done: Promise<ReloadEvent | null>; cancel(): void } {
  const watcher = app.watcher!;
  let finish: (event: ReloadEvent | null) => void = () => undefined;
  const done = new Promise<ReloadEvent | null>((resolve) => {
    const timer = setTimeout(() => finish(null), RELOAD_WAIT_MS);
    const onReload = (event: ReloadEvent) => {
      // Real paths at event time: the watcher reports files under the app's real folder, and a new file's exists only now.
      const wanted = new Set(files.flatMap((file) => [file, realPath(file)]));
      const ours = event.files.some((file) => wanted.has(file) || wanted.has(realPath(file)));
      if (ours) finish(event);
    };
    finish = (event) => {
      clearTimeout(timer);
      watcher.off('reload', onReload as (...args: never[]) => void);
      resolve(event);
    };
    watcher.on('reload', onReload);
  });
  return { done, cancel: () => finish(null) };
}

/** Writes via a temporary file in the same folder and a rename, so the watcher never reads half a file. */
function writeAtomically(file: string, text: string, mustBeNew: boolean): void {
  if (mustBeNew && fs.existsSync(file)) throw Object.assign(new Error('exists'), { code: 'EEXIST' });
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  fs.writeFileSync(temporary, text, { flag: 'wx' });
  try {
    fs.renameSync(temporary, file);
  } catch (err) {
    fs.rmSync(temporary, { force: true });
    throw err;
  }
}

function diagnosticView(app: AppHandle, target: DraftTarget, d: Diagnostic): DiagnosticView {
  return {
    severity: d.severity,
    code: d.code,
    file: path.relative(app.dir, d.file) || d.file,
    line: d.line,
    col: d.col,
    pointer: d.pointer,
    place: d.file === target.configFile ? 'config' : d.file === target.eJsonFile ? 'eJson' : 'other',
    message: d.message,
    text: formatDiagnostic(d, app.dir),
  };
}

function readObject(file: string, label: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    throw new JitError('BAD_REQUEST', `${label} of this instance is not valid JSON: fix it by hand first (jit validate shows where)`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new JitError('BAD_REQUEST', `${label} of this instance is not a JSON object: fix it by hand first`);
  for (const key of Object.keys(parsed)) if (FORBIDDEN_KEYS.has(key)) throw new JitError('BAD_REQUEST', `${label} has a key ${key}: fix it by hand first`);
  return parsed as Record<string, unknown>;
}

/** `$schema` as `jit create` writes it: the path from the element folder to the schema, with forward slashes. */
function schemaReference(fromDir: string, schemaFile: string): string {
  return path.relative(fromDir, schemaFile).split(path.sep).join('/');
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

function escapeSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}
