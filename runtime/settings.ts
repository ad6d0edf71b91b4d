/**
 * The app's settings: the keys of `app.json` besides identity (publicUrl, sessions, limits, server,
 * security, verification, metrics, admins, audit, defaultLanguage). The JSON Schema
 * (`schemas/app.schema.json`) is the one place their types, enums and defaults live: this module
 * only fills the defaults in (ajv `useDefaults`) and hands out one typed, deeply frozen view.
 *
 * Besides these core keys, element Types declare sections of their own (e.json `appSettings`: an
 * app.json key and its JSON Schema, e.g. `dingtalk` by the DingTalk login Type). The loader validates
 * them and fills in their defaults (runtime/loader/app-settings.ts); a family reads its section with
 * `app.settings.section(key)`, through a typed reader of its own.
 *
 * The loader has already reported every schema problem of app.json as a diagnostic; a value that is
 * still wrong here falls back to its default rather than taking the app down.
 */
import Ajv from 'ajv';
import { JitError } from './errors';
import addFormats from 'ajv-formats';
import { APP_SCHEMA_FILE } from './loader/validate';
import { deepFreeze } from './deep-freeze';

export type SecureCookies = 'auto' | boolean;
export type Language = 'zh-CN' | 'en';
export type VerificationSenderSetting = string | { webhook: string };

export interface AppSettings {
  /** The origin people reach the host at (no trailing slash), or undefined: derived per request. */
  publicUrl?: string;
  sessions: { ttl: number; idleTimeout: number; adminIdleTimeout: number; secureCookies: SecureCookies };
  limits: { failures: { perAccount: number; perMember: number; perAddress: number }; floodPerAddress: number };
  server: { requestTimeout: number; connectionTimeout: number };
  security: { allowedOrigins: readonly string[] };
  verification: { sender?: VerificationSenderSetting };
  metrics: { enabled: boolean; port?: number };
  admins: readonly string[];
  audit: { retentionDays: number };
  defaultLanguage: Language;
  /**
   * An element-declared section of app.json (e.json `appSettings`), its schema's defaults filled in;
   * frozen. INTERNAL_ERROR when no element of the app declares `key`. A family reads its own section
   * through a typed reader (e.g. dingTalkSettingsOf(app)).
   */
  section<T = unknown>(key: string): T;
}

/** An app's element-declared sections by key (values frozen, defaults filled in). */
export type AppSettingSections = ReadonlyMap<string, unknown>;

const SETTING_KEYS = ['publicUrl', 'sessions', 'limits', 'server', 'security', 'verification', 'metrics', 'admins', 'audit', 'defaultLanguage'] as const;

/** The keys of app.json the runtime itself owns (identity and core settings); any other is an element-declared section. */
export function coreAppJsonKeys(): readonly string[] {
  return Object.keys((require(APP_SCHEMA_FILE) as { properties: Record<string, unknown> }).properties);
}

let fillDefaults: ((data: unknown) => boolean) | undefined;

/** The settings of one app.json's parsed content (anything: a broken file gives the defaults). */
export function readAppSettings(appJson: unknown, sections: AppSettingSections = new Map()): AppSettings {
  fillDefaults ??= compileDefaultsFiller();
  const given = isRecord(appJson) ? appJson : {};
  const picked: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) if (key in given) picked[key] = structuredClone(given[key]);
  // Keep only the settings that are valid on their own, so one bad key does not void the others.
  const settings: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    if (!(key in picked)) continue;
    const trial = { [key]: picked[key] };
    if (fillDefaults(trial)) settings[key] = trial[key];
  }
  fillDefaults(settings);
  delete settings.extends; // filled in by the schema's default; identity, not a setting
  if (typeof settings.publicUrl === 'string') settings.publicUrl = settings.publicUrl.replace(/\/+$/, '');
  Object.defineProperty(settings, 'section', { value: sectionReader(sections), enumerable: false });
  return deepFreeze(settings) as unknown as AppSettings;
}

/** The defaults alone (an app without app.json settings). */
export const DEFAULT_APP_SETTINGS: AppSettings = readAppSettings({});

/** The same settings with the element-declared sections the loader read (frozen anew). */
export function withSections(settings: AppSettings, sections: AppSettingSections): AppSettings {
  const copy: Record<string, unknown> = { ...settings };
  Object.defineProperty(copy, 'section', { value: sectionReader(sections), enumerable: false });
  return Object.freeze(copy) as unknown as AppSettings;
}

function sectionReader(sections: AppSettingSections): AppSettings['section'] {
  return <T>(key: string): T => {
    if (!sections.has(key)) {
      throw new JitError('INTERNAL_ERROR', `No element of this app declares the app.json section "${key}" (e.json appSettings)`, { section: key });
    }
    return sections.get(key) as T;
  };
}

function compileDefaultsFiller(): (data: unknown) => boolean {
  const schema = structuredClone(require(APP_SCHEMA_FILE) as Record<string, unknown>);
  // Validate the settings alone: identity keys are not required here.
  delete schema.required;
  const ajv = new Ajv({ useDefaults: true, strict: false, allowUnionTypes: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return (data) => validate(data) as boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

