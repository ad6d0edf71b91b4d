/**
 * The third-party content of the host's pages, from what the app's Types contribute (their
 * `pageNeeds`, runtime/contributions.ts): the scripts by name, with `createHost({ scripts })`
 * replacing some (the simulator's stand-ins), and the one page CSP they add up to. Read once when
 * the host starts, like the settings that decide the URLs.
 */
import type { AppHandle } from '../app-types';
import { chainContributions, hostContributions } from '../contributions';
import type { LoginInstanceView } from './pages/login-instances';
import { originOf, type PageOrigins } from './security-headers';

export interface PageContent {
  /** Every Type's scripts by name (exact URLs), after the host's overrides. */
  scripts: Readonly<Record<string, string>>;
  origins: PageOrigins;
}

export function collectPageContent(app: AppHandle, overrides: Readonly<Record<string, string | undefined>> = {}): PageContent {
  const scripts: Record<string, string> = {};
  const frames: string[] = [];
  const images: string[] = [];
  for (const { contribution } of hostContributions(app)) {
    const needs = contribution.pageNeeds?.(app);
    if (!needs) continue;
    for (const [name, url] of Object.entries(needs.scripts ?? {})) if (!(name in scripts) && typeof url === 'string') scripts[name] = url;
    frames.push(...(needs.frames ?? []));
    images.push(...(needs.images ?? []));
  }
  for (const [name, url] of Object.entries(overrides)) if (typeof url === 'string') scripts[name] = url;
  const scriptUrls = unique(Object.values(scripts).filter((url) => !!originOf(url)));
  // script-src names the script URLs exactly; the stand-ins under --sim call their own origin.
  const connect = unique(scriptUrls.map(originOf).filter((o): o is string => !!o));
  return {
    scripts: Object.freeze(scripts),
    origins: { scripts: scriptUrls, frames: originsOf(frames), connect, images: originsOf(images) },
  };
}

/** The scripts the sign-in page loads for these instances (their Types' `loginScripts`), each once. */
export function loginScriptsFor(app: AppHandle, scripts: Readonly<Record<string, string>>, instances: readonly LoginInstanceView[]): string[] {
  const names: string[] = [];
  for (const instance of instances) {
    for (const contribution of chainContributions(app, instance.fullName)) names.push(...(contribution.pageNeeds?.(app).loginScripts ?? []));
  }
  return scriptsNamed(scripts, names);
}

/** The URLs of named scripts, each once, in order; a name no Type gives is left out. */
export function scriptsNamed(scripts: Readonly<Record<string, string>>, names: readonly string[]): string[] {
  return unique(names.filter((name) => typeof scripts[name] === 'string').map((name) => scripts[name]));
}

/** The origins of URLs (or origins); anything not an absolute http(s) URL is left out. */
function originsOf(urls: string[]): string[] {
  return unique(urls.map(originOf).filter((o): o is string => !!o));
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
