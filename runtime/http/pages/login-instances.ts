/**
 * The login instances a login page offers: every valid, active Instance of a login Type
 * (`auths.loginTypes.Meta`), each with the panel script that draws it. A Type names its panel with
 * `frontendBundleEntry` in e.json; the nearest one in the instance's type chain wins, so an app's
 * own subtype of DDInnerType keeps the official panel unless it ships its own.
 */
import * as path from 'path';
import type { AppHandle } from '../../app-types';
import type { ElementDefinition } from '../../definitions';
import { functionPath, functionsOf } from '../function-routes';

export const LOGIN_TYPES_META = 'auths.loginTypes.Meta';
/** Login instances, login Types and their services all live here. */
export const LOGIN_NAMESPACE = 'auths.loginTypes.';
/** Login Types without a panel of their own that the host draws itself. */
const BUILT_IN_PANELS: Record<string, string> = { 'auths.loginTypes.PasswordType': 'password' };

export interface LoginPanel {
  /** The Type whose panel draws the instance (a key panels register under). */
  type: string;
  /** URL of the panel script, or null for a built-in panel. */
  script: string | null;
}

export interface LoginInstanceView {
  fullName: string;
  title: string;
  panel: LoginPanel | null;
  /** Function name -> its POST address. */
  functions: Record<string, string>;
}

export function isActiveLoginInstance(definition: ElementDefinition): boolean {
  if (!definition.valid || definition.level !== 'instance' || !definition.typeChain.includes(LOGIN_TYPES_META)) return false;
  return (definition.config as { isActive?: unknown } | undefined)?.isActive !== false;
}

/** The element folder's frontendBundleEntry, when it names a file inside the folder. */
export function frontendEntryOf(definition: ElementDefinition): string | null {
  const entry = definition.eJson.frontendBundleEntry;
  if (typeof entry !== 'string' || entry === '') return null;
  const resolved = path.resolve(definition.dir, entry);
  return resolved.startsWith(definition.dir + path.sep) ? entry.split(path.sep).join('/') : null;
}

export function panelScriptUrl(typeFullName: string, entry: string): string {
  return `/assets/elements/${encodeURIComponent(typeFullName)}/${entry.split('/').map(encodeURIComponent).join('/')}`;
}

export function panelFor(app: AppHandle, definition: ElementDefinition): LoginPanel | null {
  for (const name of [definition.fullName, ...definition.typeChain]) {
    const source = name === definition.fullName ? definition : app.getDefinition(name);
    if (!source) continue;
    const entry = frontendEntryOf(source);
    if (entry) return { type: source.fullName, script: panelScriptUrl(source.fullName, entry) };
    if (BUILT_IN_PANELS[name]) return { type: name, script: null };
  }
  return null;
}

export function loginInstanceView(app: AppHandle, definition: ElementDefinition): LoginInstanceView {
  const functions: Record<string, string> = {};
  for (const spec of functionsOf(app, definition)) functions[spec.name] = functionPath(app, definition.fullName, spec.name);
  return {
    fullName: definition.fullName,
    title: definition.title,
    panel: panelFor(app, definition),
    functions,
  };
}

export function activeLoginInstances(app: AppHandle): LoginInstanceView[] {
  return app
    .findElements({ type: LOGIN_TYPES_META, level: 'instance' })
    .filter(isActiveLoginInstance)
    .sort((a, b) => a.fullName.localeCompare(b.fullName))
    .map((definition) => loginInstanceView(app, definition));
}
