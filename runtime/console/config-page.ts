/**
 * The console's configuration page: the effective business config of each instance (after
 * `{{NAME}}` references and the schema's defaults), each value with where it came from: the app
 * and file that define it, the schema default, or an environment variable. A value read from the
 * environment, and any secret, is never shown: only whether it is set. Then app.json's settings,
 * each from app.json or the default.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { AppHandle } from '../app-types';
import type { ElementDefinition } from '../definitions';
import { fill } from '../i18n/words';
import { appendPointer, getAtPointer, pointerLabel } from '../loader/json-pointer';
import type { PageLanguage } from '../http/page-language';
import { escapeHtml } from '../http/pages/html';
import { table } from './layout';

const REFERENCE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export interface ConfigValue {
  pointer: string;
  /** JSON of the value, or null when it is hidden (a secret or from the environment). */
  shown: string | null;
  source: { kind: 'file'; file: string } | { kind: 'default' } | { kind: 'env'; names: string[]; set: boolean };
}

/** The leaves of an instance's effective config with their sources (secrets hidden). */
export function effectiveConfig(app: AppHandle, definition: ElementDefinition): ConfigValue[] {
  if (!definition.config) return [];
  const written = readWritten(definition.configFile);
  const file = definition.configFile ? path.relative(app.dir, definition.configFile) || definition.configFile : '';
  const secret = new Set(definition.secretPointers);
  const missing = new Set(definition.diagnostics.filter((d) => d.code === 'ENV_MISSING').map((d) => d.pointer));
  const values: ConfigValue[] = [];
  const walk = (node: unknown, pointer: string) => {
    if (node !== null && typeof node === 'object' && !Array.isArray(node) && Object.keys(node).length > 0) {
      for (const [key, inner] of Object.entries(node as Record<string, unknown>)) walk(inner, appendPointer(pointer, key));
      return;
    }
    const asWritten = getAtPointer(written, pointer);
    const names = typeof asWritten === 'string' ? [...asWritten.matchAll(REFERENCE)].map((m) => m[1]) : [];
    if (secret.has(pointer) || names.length) {
      values.push({ pointer, shown: null, source: names.length ? { kind: 'env', names, set: !missing.has(pointer) } : { kind: 'file', file } });
    } else {
      values.push({ pointer, shown: JSON.stringify(node), source: asWritten === undefined ? { kind: 'default' } : { kind: 'file', file } });
    }
  };
  walk(definition.config, '');
  return values;
}

export function renderConfigPage(app: AppHandle, page: PageLanguage): string {
  const w = page.words;
  const instances = app.findElements({ level: 'instance', validOnly: false });
  const sections = instances.map((d) => {
    const values = effectiveConfig(app, d);
    const rows = values.map((v) => [
      `<code>${escapeHtml(pointerLabel(v.pointer))}</code>`,
      v.shown === null ? `<span class="jit-badge" data-role="secret">${escapeHtml(v.source.kind === 'env' && !v.source.set ? w['config.notSet'] : w['config.set'])}</span>` : `<code>${escapeHtml(v.shown)}</code>`,
      escapeHtml(sourceText(v, page)),
    ]);
    const provenance = fill(w['config.definedBy'], { app: d.provenance.definedBy }) + (d.provenance.overrides.length ? `, ${fill(w['config.overrides'], { apps: d.provenance.overrides.join(', ') })}` : '');
    return `<section class="jit-card" id="${escapeHtml(d.fullName)}" data-role="instance-config" data-instance="${escapeHtml(d.fullName)}">
<h2>${escapeHtml(d.title)} <code>${escapeHtml(d.fullName)}</code></h2>
<p class="jit-muted"><code>${escapeHtml(d.type)}</code> · ${escapeHtml(provenance)} · <code>${escapeHtml(path.relative(app.dir, d.eJsonFile) || d.eJsonFile)}</code>${d.valid ? '' : ` · <span class="jit-badge jit-bad">${escapeHtml(w['console.invalid'])}</span>`}</p>
${d.config ? table([w['config.setting'], w['config.value'], w['config.source']], rows, w['config.noConfig']) : `<p class="jit-muted">${escapeHtml(w['config.noConfig'])}</p>`}
</section>`;
  });
  return `<p class="jit-muted">${escapeHtml(w['config.intro'])}</p>
${sections.join('\n')}
<section class="jit-card" data-role="app-settings">
<h2>${escapeHtml(w['config.appSettings'])}</h2>
${table([w['config.setting'], w['config.value'], w['config.source']], appSettingRows(app, page), w['console.none'])}
</section>`;
}

function appSettingRows(app: AppHandle, page: PageLanguage): string[][] {
  const written = readWritten(path.join(app.dir, 'app.json'));
  const rows: string[][] = [];
  const walk = (node: unknown, pointer: string) => {
    if (node !== null && typeof node === 'object' && !Array.isArray(node) && Object.keys(node).length > 0) {
      for (const [key, inner] of Object.entries(node as Record<string, unknown>)) walk(inner, appendPointer(pointer, key));
      return;
    }
    const fromFile = getAtPointer(written, pointer) !== undefined;
    rows.push([`<code>${escapeHtml(pointerLabel(pointer))}</code>`, `<code>${escapeHtml(JSON.stringify(node) ?? '')}</code>`, escapeHtml(fromFile ? 'app.json' : page.words['config.fromDefault'])]);
  };
  walk(app.settings, '');
  return rows;
}

function sourceText(value: ConfigValue, page: PageLanguage): string {
  const w = page.words;
  switch (value.source.kind) {
    case 'file':
      return fill(w['config.fromFile'], { file: value.source.file });
    case 'default':
      return w['config.fromDefault'];
    case 'env':
      return value.source.names.map((name) => fill(w['config.fromEnv'], { name })).join(', ');
  }
}

function readWritten(file: string | undefined): unknown {
  if (!file) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}
