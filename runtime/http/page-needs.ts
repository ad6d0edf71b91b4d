/**
 * The third-party content of the host's pages, from what the app's Types contribute (their
 * `pageNeeds`, runtime/contributions.ts): the scripts by name with their pinned integrity hashes,
 * `createHost({ scripts, scriptIntegrity })` replacing some (the simulator's stand-ins), and the one
 * page CSP they add up to. Read once when the host starts, like the settings that decide the URLs.
 */
import type { AppHandle } from '../app-types';
import { chainContributions, hostContributions, type HostContribution } from '../contributions';
import { JitError } from '../errors';
import type { PageScript } from './pages/html';
import type { LoginInstanceView } from './pages/login-instances';
import { isSriToken } from '../script-integrity';
import { originOf, type PageOrigins } from './security-headers';

export interface PageContent {
  /** Every Type's scripts by name (exact URLs), after the host's overrides. */
  scripts: Readonly<Record<string, string>>;
  /** Their pinned integrity hashes (SRI tokens), by name. */
  scriptIntegrity: Readonly<Record<string, string>>;
  origins: PageOrigins;
  /** Each contributing Type's `loginScripts`, read with the rest: a page need not ask its Type again. */
  loginScriptNames: ReadonlyMap<HostContribution, readonly string[]>;
}

export interface PageContentOverrides {
  /** Other URLs for some scripts, by name. */
  scripts?: Readonly<Record<string, string | undefined>>;
  /** The hashes of the scripts given in `scripts` (a contributed hash is not used for a replaced URL). */
  scriptIntegrity?: Readonly<Record<string, string | undefined>>;
}

/** Throws CONFIG_INVALID when a hash is not an SRI token, naming the script. */
export function collectPageContent(app: AppHandle, overrides: PageContentOverrides = {}): PageContent {
  const scripts: Record<string, string> = {};
  const contributed: Record<string, string> = {};
  const frames: string[] = [];
  const images: string[] = [];
  const loginScriptNames = new Map<HostContribution, readonly string[]>();
  for (const { contribution } of hostContributions(app)) {
    const needs = contribution.pageNeeds?.(app);
    if (!needs) continue;
    loginScriptNames.set(contribution, needs.loginScripts ?? []);
    for (const [name, url] of Object.entries(needs.scripts ?? {})) {
      if (name in scripts || typeof url !== 'string') continue;
      scripts[name] = url;
      const hash = needs.integrity?.[name];
      if (hash !== undefined) contributed[name] = hash;
    }
    frames.push(...(needs.frames ?? []));
    images.push(...(needs.images ?? []));
  }
  const replaced = Object.entries(overrides.scripts ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
  for (const [name, url] of replaced) scripts[name] = url;
  const scriptIntegrity: Record<string, string> = {};
  for (const name of Object.keys(scripts)) {
    const hash = overrides.scriptIntegrity?.[name] ?? (replaced.some(([n]) => n === name) ? undefined : contributed[name]);
    if (hash === undefined) continue;
    if (!isSriToken(hash)) {
      throw new JitError('CONFIG_INVALID', `The integrity hash of the ${name} script must be an SRI hash (sha256-, sha384- or sha512- and the base64 digest); got ${JSON.stringify(hash)}`);
    }
    scriptIntegrity[name] = hash;
  }
  const scriptUrls = unique(Object.values(scripts).filter((url) => !!originOf(url)));
  // script-src names the script URLs exactly; the stand-ins under --sim call their own origin.
  const connect = unique(scriptUrls.map(originOf).filter((o): o is string => !!o));
  return {
    scripts: Object.freeze(scripts),
    scriptIntegrity: Object.freeze(scriptIntegrity),
    origins: { scripts: scriptUrls, frames: originsOf(frames), connect, images: originsOf(images) },
    loginScriptNames,
  };
}

/**
 * The scripts the sign-in page loads for these instances (their Types' `loginScripts`), each once.
 * Per page view: the names come from what the host read at start, not from the Types again (a
 * DingTalk Type's `pageNeeds` checks the app.json settings on disk each time it is asked).
 */
export function loginScriptsFor(app: AppHandle, content: Pick<PageContent, 'scripts' | 'scriptIntegrity' | 'loginScriptNames'>, instances: readonly LoginInstanceView[]): PageScript[] {
  const names: string[] = [];
  for (const instance of instances) {
    for (const contribution of chainContributions(app, instance.fullName)) {
      // A Type added by a hot reload after the host started is asked itself.
      names.push(...(content.loginScriptNames.get(contribution) ?? contribution.pageNeeds?.(app).loginScripts ?? []));
    }
  }
  return scriptsNamed(content, names);
}

/** The tags of named scripts (URL, and pinned hash when there is one), each once, in order; a name no Type gives is left out. */
export function scriptsNamed(content: Pick<PageContent, 'scripts' | 'scriptIntegrity'>, names: readonly string[]): PageScript[] {
  const tags: PageScript[] = [];
  for (const name of unique(names.filter((n) => typeof content.scripts[n] === 'string'))) {
    const src = content.scripts[name];
    if (tags.some((tag) => tag.src === src)) continue;
    const integrity = content.scriptIntegrity[name];
    tags.push(integrity ? { src, integrity } : { src });
  }
  return tags;
}

/** The origins of URLs (or origins); anything not an absolute http(s) URL is left out. */
function originsOf(urls: string[]): string[] {
  return unique(urls.map(originOf).filter((o): o is string => !!o));
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
