/**
 * The app's settings: the keys of `app.json` besides identity (publicUrl, sessions, limits, server,
 * security, verification, metrics, dingtalk, admins, audit, defaultLanguage). The JSON Schema
 * (`schemas/app.schema.json`) is the one place their types, enums and defaults live: this module
 * only fills the defaults in (ajv `useDefaults`) and hands out one typed, deeply frozen view.
 *
 * The loader has already reported every schema problem of app.json as a diagnostic; a value that is
 * still wrong here falls back to its default rather than taking the app down.
 */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { APP_SCHEMA_FILE } from './loader/validate';

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
  /** scriptIntegrity: SRI hashes by script (ddLogin, dingtalkJsapi), see dingtalk/page-scripts.ts. */
  dingtalk: { scriptBase: string; scriptIntegrity: { ddLogin?: string; dingtalkJsapi?: string } };
  admins: readonly string[];
  audit: { retentionDays: number };
  defaultLanguage: Language;
}

const SETTING_KEYS = ['publicUrl', 'sessions', 'limits', 'server', 'security', 'verification', 'metrics', 'dingtalk', 'admins', 'audit', 'defaultLanguage'] as const;

let fillDefaults: ((data: unknown) => boolean) | undefined;

/** The settings of one app.json's parsed content (anything: a broken file gives the defaults). */
export function readAppSettings(appJson: unknown): AppSettings {
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
  return deepFreeze(settings) as unknown as AppSettings;
}

/** The defaults alone (an app without app.json settings). */
export const DEFAULT_APP_SETTINGS: AppSettings = readAppSettings({});

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

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value as object)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
