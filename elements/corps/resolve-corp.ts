/**
 * Which corp a name means, for `jit org sync|status|restore`, the schedule and the old login entry
 * points: a corp's fullName is the corp; a login's fullName means the corp that names it (any config
 * field of a corp referring to it); a login that still carries `sync` and that no corp names is
 * synced through its implied corp (upgrading apps keep working) until the real one is made.
 */
import { type AppHandle, type ElementDefinition, JitError } from '../../runtime';
import { CORPS_META, type CorpType } from './CorpType';

export interface ResolvedCorp {
  corp: CorpType;
  /** How the name led to the corp: the corp itself, the corp naming a login, or a login's implied corp. */
  via: 'corp' | 'login' | 'implied';
  /** For people, when the name was not the corp's own (e.g. "auths.loginTypes.x is a login: using corps.y, the corp that names it"). */
  note?: string;
}

/** A Type of the corps family that can stand in for a login still carrying `sync` (corps.DDInnerType). */
interface ImpliesCorps {
  impliedCorpFor(loginFullName: string): CorpType | null;
}

/** The command that makes the real corp of a login. */
export function createCorpCommand(loginFullName: string, corpType = 'corps.DDInnerType', appDir?: string): string {
  const name = loginFullName.slice(loginFullName.lastIndexOf('.') + 1);
  return `jit create corps.${name} --type ${corpType} --auth ${loginFullName}${appDir ? ` --app ${appDir}` : ''}`;
}

/** Valid corp instances of the app (every corps Type). */
export function corpDefinitions(app: AppHandle): ElementDefinition[] {
  return app.findElements({ type: CORPS_META, level: 'instance' });
}

/** The corps Types of the app (those that can imply a corp for a login answer impliedCorpFor). */
function corpTypes(app: AppHandle): ImpliesCorps[] {
  return app
    .findElements({ type: CORPS_META, level: 'type' })
    .map((d) => app.getElement<Partial<ImpliesCorps>>(d.fullName))
    .filter((t): t is ImpliesCorps => typeof t.impliedCorpFor === 'function');
}

/** The implied corp of a login that carries `sync` and that no corp names, or null. */
export function impliedCorpFor(app: AppHandle, loginFullName: string): CorpType | null {
  for (const type of corpTypes(app)) {
    const corp = type.impliedCorpFor(loginFullName);
    if (corp) return corp;
  }
  return null;
}

/**
 * The corp `name` means, or null when it is neither a corp nor an element some corp names (nor a login
 * with an implied corp). ELEMENT_NOT_FOUND for an unknown name; BAD_REQUEST when several corps name it.
 */
export function resolveCorp(app: AppHandle, name: string, appDir?: string): ResolvedCorp | null {
  const definition = app.getDefinition(name);
  if (!definition) {
    throw new JitError('ELEMENT_NOT_FOUND', `No element ${name} in ${app.dir}; jit list --type ${CORPS_META} shows the corps`, { fullName: name });
  }
  if (definition.level === 'instance' && definition.typeChain.includes(CORPS_META)) return { corp: app.getElement<CorpType>(name), via: 'corp' };
  const naming = corpDefinitions(app).filter((corp) => corp.references?.some((r) => r.target === name));
  if (naming.length > 1) {
    throw new JitError('BAD_REQUEST', `${name} is named by several corps (${naming.map((c) => c.fullName).join(', ')}): give the corp's fullName`, { fullName: name });
  }
  if (naming.length === 1) {
    return { corp: app.getElement<CorpType>(naming[0].fullName), via: 'login', note: `${name} is a login: using ${naming[0].fullName}, the corp that names it` };
  }
  const implied = impliedCorpFor(app, name);
  if (implied) {
    return {
      corp: implied,
      via: 'implied',
      note: `${name} still carries "sync" and no corp names it: syncing it through an implied corp; make the real one with: ${createCorpCommand(name, undefined, appDir)}`,
    };
  }
  return null;
}

/** Like resolveCorp, but a name no corp stands for is a user error naming the corp to create. */
export function requireCorp(app: AppHandle, name: string, appDir?: string): ResolvedCorp {
  const resolved = resolveCorp(app, name, appDir);
  if (resolved) return resolved;
  const definition = app.getDefinition(name)!;
  if (definition.level === 'instance') {
    throw new JitError('BAD_REQUEST', `${name} is not a corp, and no corp names it: create one with ${createCorpCommand(name, undefined, appDir)}`, { fullName: name });
  }
  throw new JitError('BAD_REQUEST', `${name} is a ${definition.level}, not a corp: name a corp (jit list --type ${CORPS_META})`, { fullName: name });
}

/** What the schedule syncs: active corps with `sync.intervalMinutes`, and implied corps of logins still carrying it. */
export interface ScheduledCorp {
  fullName: string;
  intervalMinutes: number;
  corp: () => CorpType;
  /** Set for an implied corp: the login and the command that makes the real one. */
  implied?: { login: string; command: string };
}

export function scheduledCorps(app: AppHandle): ScheduledCorp[] {
  const found: ScheduledCorp[] = [];
  for (const definition of corpDefinitions(app)) {
    const corp = app.getElement<CorpType>(definition.fullName);
    const minutes = corp.settings.sync.intervalMinutes;
    // Looked up per run: a hot reload may have replaced the element since.
    if (corp.isActive && minutes !== null) found.push({ fullName: definition.fullName, intervalMinutes: minutes, corp: () => app.getElement<CorpType>(definition.fullName) });
  }
  for (const login of app.findElements({ level: 'instance' })) {
    const sync = login.config?.sync as { intervalMinutes?: unknown } | undefined;
    if (typeof sync?.intervalMinutes !== 'number' || login.config?.isActive === false) continue;
    const implied = impliedCorpFor(app, login.fullName);
    if (!implied) continue;
    found.push({
      fullName: login.fullName,
      intervalMinutes: sync.intervalMinutes,
      corp: () => impliedCorpFor(app, login.fullName) ?? implied,
      implied: { login: login.fullName, command: createCorpCommand(login.fullName, undefined, app.dir) },
    });
  }
  return found;
}

/** A corp whose live events `jit serve` applies: an active corp with `sync.events`, or the implied corp of a login still carrying it. */
export interface EventCorp {
  fullName: string;
  corp: () => CorpType;
  implied?: { login: string; command: string };
}

export function eventCorps(app: AppHandle): EventCorp[] {
  const found: EventCorp[] = [];
  for (const definition of corpDefinitions(app)) {
    const corp = app.getElement<CorpType>(definition.fullName);
    if (corp.isActive && corp.settings.sync.events) found.push({ fullName: definition.fullName, corp: () => app.getElement<CorpType>(definition.fullName) });
  }
  for (const login of app.findElements({ level: 'instance' })) {
    const sync = login.config?.sync as { events?: unknown } | undefined;
    if (sync?.events !== true || login.config?.isActive === false) continue;
    const implied = impliedCorpFor(app, login.fullName);
    if (!implied) continue;
    found.push({
      fullName: login.fullName,
      corp: () => impliedCorpFor(app, login.fullName) ?? implied,
      implied: { login: login.fullName, command: createCorpCommand(login.fullName, undefined, app.dir) },
    });
  }
  return found;
}
