/**
 * JitAi-style function addresses: `/api/<orgId>/<appName>/<fullName dots as slashes>/<function>`,
 * where the served app's appId `acme.hr` gives orgId `acme` and appName `hr`. Addresses are resolved
 * per request against the app's current registry, so a hot reload changes the routes without
 * touching fastify's router.
 *
 * Functions are declared by a Type (or the element itself) in e.json's functionList and run on
 * Instances: a Meta or Type is a template, so only Instances are callable.
 */
import type { AppHandle } from '../app-types';
import type { ElementDefinition, FunctionSpec } from '../definitions';

export interface ResolvedFunction {
  definition: ElementDefinition;
  spec: FunctionSpec;
}

/** `/api/acme/hr` for appId `acme.hr` (an appId without a dot is its own orgId and appName). */
export function apiPrefix(app: AppHandle): string {
  const dot = app.appId.indexOf('.');
  const orgId = dot < 0 ? app.appId : app.appId.slice(0, dot);
  const appName = dot < 0 ? app.appId : app.appId.slice(dot + 1);
  return `/api/${encodeURIComponent(orgId)}/${encodeURIComponent(appName)}`;
}

export function functionPath(app: AppHandle, fullName: string, functionName: string): string {
  return `${apiPrefix(app)}/${fullName.split('.').map(encodeURIComponent).join('/')}/${encodeURIComponent(functionName)}`;
}

/**
 * The functions an element answers: its own functionList, then those its type chain declares
 * (nearest first; an element's own declaration of a name wins).
 */
export function functionsOf(app: AppHandle, definition: ElementDefinition): FunctionSpec[] {
  const byName = new Map<string, FunctionSpec>();
  for (const source of [definition, ...definition.typeChain.map((name) => app.getDefinition(name))]) {
    for (const spec of source?.functionList ?? []) if (!byName.has(spec.name)) byName.set(spec.name, spec);
  }
  return [...byName.values()];
}

/** The function a path (without query) names, or null when no valid Instance declares it. */
export function resolveFunction(app: AppHandle, pathname: string): ResolvedFunction | null {
  const prefix = apiPrefix(app) + '/';
  if (!pathname.startsWith(prefix)) return null;
  let segments: string[];
  try {
    segments = pathname.slice(prefix.length).split('/').map((s) => decodeURIComponent(s));
  } catch {
    return null;
  }
  if (segments.length < 2 || segments.some((s) => s === '' || s.includes('.'))) return null;
  const functionName = segments.pop() as string;
  const definition = app.getDefinition(segments.join('.'));
  if (!definition || !definition.valid || definition.level !== 'instance') return null;
  const spec = functionsOf(app, definition).find((f) => f.name === functionName);
  return spec ? { definition, spec } : null;
}
