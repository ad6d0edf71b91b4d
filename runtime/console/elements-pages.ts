/**
 * The console's login instances: the list (`/admin/elements`), and the form that creates one
 * (`/admin/elements/new?type=`) or edits one (`/admin/elements/edit/<fullName>`). The server draws
 * the shell; the form's fields are generated in the browser (assets/admin-form.js) from the Type's
 * config JSON Schema, the same schema `jit validate` uses, and every change is checked by the loader
 * through POST /admin/api/elements/check. The page data carries the config as written in the file
 * (its `{{NAME}}` references, never a resolved secret).
 */
import * as fs from 'fs';
import type { AppHandle } from '../app-types';
import { fill } from '../i18n/words';
import { getAtPointer, pointerSegments } from '../loader/json-pointer';
import { secretEnvName } from '../loader/names';
import type { PageLanguage } from '../http/page-language';
import { escapeHtml } from '../http/pages/html';
import { LOGIN_NAMESPACE, LOGIN_TYPES_META } from '../http/pages/login-instances';
import { checkDraft, editRefusal, fileStamp, loginTypes, secretPointers, type DraftTarget } from './element-editor';
import { table } from './layout';

export function renderElementsPage(app: AppHandle, page: PageLanguage): string {
  const w = page.words;
  const instances = app.findElements({ type: LOGIN_TYPES_META, level: 'instance', validOnly: false });
  const rows = instances.map((d) => [
    escapeHtml(d.title),
    `<code>${escapeHtml(d.fullName)}</code>`,
    `<code>${escapeHtml(d.type)}</code>`,
    escapeHtml(d.provenance.definedBy),
    d.valid ? escapeHtml((d.config as { isActive?: unknown } | undefined)?.isActive === false ? w['console.inactive'] : w['console.active']) : `<span class="jit-badge jit-bad">${escapeHtml(w['console.invalid'])}</span>`,
    d.appId === app.appId ? `<a href="/admin/elements/edit/${encodeURIComponent(d.fullName)}" data-role="edit">${escapeHtml(w['elements.edit'])}</a>` : '—',
  ]);
  const types = loginTypes(app);
  return `${table([w['elements.title'], w['elements.fullName'], w['elements.type'], w['elements.app'], w['console.status'], w['console.actions']], rows, w['console.none'], 'data-role="instances"')}
<form class="jit-card jit-inline-form" method="get" action="/admin/elements/new">
  <h2>${escapeHtml(w['elements.new'])}</h2>
  <label for="new-type">${escapeHtml(w['elements.type'])}</label>
  <select id="new-type" name="type">${types.map((t) => `<option value="${escapeHtml(t.fullName)}">${escapeHtml(t.title)} (${escapeHtml(t.fullName)})</option>`).join('')}</select>
  <button type="submit" class="jit-button" data-role="new-instance">${escapeHtml(w['elements.new'])}</button>
</form>`;
}

export interface FormPage {
  heading: string;
  body: string;
  data: Record<string, unknown>;
}

/** The form for a target resolved by element-editor.ts (a new instance, or one of this app's). */
export function renderElementForm(app: AppHandle, page: PageLanguage, target: DraftTarget): FormPage {
  const w = page.words;
  const refusal = editRefusal(app, target);
  const refusalText = refusal ? (refusal.reason === 'notWatching' ? w['elements.notWatching'] : fill(w['elements.readOnly'], { dir: refusal.dir })) : null;
  const written = target.mode === 'edit' ? writtenConfig(target) : { config: {}, literal: [] as string[] };
  const title = target.mode === 'edit' ? target.existing!.title : '';
  const initial = target.mode === 'edit' ? checkDraft(app, { mode: 'edit', fullName: target.fullName, title, config: written.config }) : null;
  const heading = target.mode === 'edit' ? fill(w['elements.editTitle'], { name: target.fullName }) : w['elements.new'];
  const name = target.fullName.slice(LOGIN_NAMESPACE.length);
  const body = `${refusalText ? `<p class="jit-error" role="alert" data-role="edit-refused">${escapeHtml(refusalText)}</p>` : ''}
<p class="jit-muted" data-role="several-hosts">${escapeHtml(w['elements.severalHosts'])}</p>
<form class="jit-form jit-element-form" data-role="element-form" novalidate>
  <div class="jit-field">
    <label for="element-name">${escapeHtml(w['elements.fullName'])}</label>
    <div class="jit-prefixed"><span class="jit-muted">${escapeHtml(LOGIN_NAMESPACE)}</span><input id="element-name" name="name" value="${escapeHtml(target.mode === 'edit' ? name : '')}" ${target.mode === 'edit' ? 'readonly' : 'required'} autocomplete="off" pattern="[A-Za-z][A-Za-z0-9_]*"></div>
  </div>
  <div class="jit-field">
    <label for="element-type">${escapeHtml(w['elements.type'])}</label>
    <input id="element-type" name="type" value="${escapeHtml(target.type.fullName)}" readonly>
  </div>
  <div class="jit-field">
    <label for="element-title">${escapeHtml(w['elements.title'])}</label>
    <input id="element-title" name="title" value="${escapeHtml(title)}" required data-pointer="/title" data-place="eJson">
  </div>
  <div data-role="config-fields"></div>
  <p class="jit-muted">${escapeHtml(w['elements.secretNote'])}</p>
  <p><button type="submit" class="jit-button" data-role="save"${refusal ? ' disabled' : ''}>${escapeHtml(target.mode === 'edit' ? w['elements.save'] : w['elements.create'])}</button></p>
</form>
<section class="jit-card" aria-labelledby="checks-title" data-role="checks">
  <h2 id="checks-title">${escapeHtml(w['elements.checks'])}</h2>
  <div data-role="check-results" aria-live="polite"></div>
</section>`;
  return {
    heading,
    body,
    data: {
      form: {
        mode: target.mode,
        fullName: target.mode === 'edit' ? target.fullName : null,
        namePrefix: LOGIN_NAMESPACE,
        type: target.type.fullName,
        schema: target.schema ?? null,
        config: written.config,
        literalSecrets: written.literal,
        secrets: initial?.secrets ?? [],
        diagnostics: initial?.diagnostics ?? [],
        stamp: target.mode === 'edit' ? fileStamp(target) : null,
        refused: refusalText,
        references: referenceChoices(app, target.schema),
        checkUrl: '/admin/api/elements/check',
        saveUrl: '/admin/api/elements/save',
      },
    },
  };
}

/**
 * The config as written in the file (minus `$schema`): `{{NAME}}` references stay names. A secret
 * written in clear (SECRET_LITERAL) is never sent to the browser: the form gets the reference it
 * should become, and says so.
 */
function writtenConfig(target: DraftTarget): { config: Record<string, unknown>; literal: string[] } {
  let config: Record<string, unknown> = {};
  try {
    const parsed = fs.existsSync(target.configFile) ? (JSON.parse(fs.readFileSync(target.configFile, 'utf8')) as unknown) : {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) config = parsed as Record<string, unknown>;
  } catch {
    config = {};
  }
  const { $schema: _editorOnly, ...rest } = config;
  const literal: string[] = [];
  for (const pointer of secretPointers(target.schema)) {
    const value = getAtPointer(rest, pointer);
    if (value === undefined || (typeof value === 'string' && /^\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}$/.test(value))) continue;
    literal.push(pointer);
    const segments = pointerSegments(pointer);
    const parent = segments.slice(0, -1).reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, rest);
    parent[segments[segments.length - 1]] = `{{${secretEnvName(target.fullName, pointer)}}}`;
  }
  return { config: rest, literal };
}

/** For each `x-element-ref` Type the schema names: the instances a field may name. */
function referenceChoices(app: AppHandle, schema: Record<string, unknown> | undefined): Record<string, string[]> {
  const choices: Record<string, string[]> = {};
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (typeof record['x-element-ref'] === 'string') {
      const type = record['x-element-ref'];
      choices[type] ??= app.findElements({ type, level: 'instance' }).map((d) => d.fullName);
    }
    for (const child of Object.values(record)) if (child && typeof child === 'object') walk(child);
  };
  walk(schema);
  return choices;
}

