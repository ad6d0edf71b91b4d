/**
 * What element Types contribute to the host besides their elements (DECISIONS: "a DingTalk-free
 * runtime by a mechanism"): a Type's backendBundleEntry module may export `hostContribution`, and the
 * host collects them from the app's Types. The runtime names no family: the DingTalk login Type
 * contributes its panel's words, the third-party scripts and CSP origins its panel needs, its own
 * sign-in page (the workbench's), the words the host says in its terms, the `dingtalk:` resolver of
 * app.json `admins`, and what the console shows and does with DingTalk bindings; a user's own Type
 * can contribute the same way.
 *
 *   // in a Type's module (or as a static `hostContribution` of its class, which subclasses inherit)
 *   export const hostContribution: HostContribution = { adminResolvers: { ldap: resolveLdapAdmin } };
 */
import type { AppHandle } from './app-types';
import type { AdminResolver } from './auth/admins';
import { loadBundle } from './bundles';
import type { Language } from './settings';

/**
 * What a Type's login panel needs on the host's pages. The host reads it once when it starts
 * (`pageNeeds(app)` may read app.json settings) and builds one page CSP from every Type's needs.
 */
export interface PageNeeds {
  /**
   * Third-party scripts by name, as exact URLs: the CSP names each URL, not its whole origin (a CDN
   * hosts many libraries an injected script could use), and page scripts may fetch from their
   * origins. `createHost({ scripts: { <name>: url } })` points one elsewhere (a simulator's stand-in).
   */
  scripts?: Readonly<Record<string, string>>;
  /**
   * Pinned subresource integrity hashes (SRI tokens) of some of them, by name: their tags carry
   * `integrity` and `crossorigin="anonymous"`. A hash that is not an SRI token stops the host
   * (CONFIG_INVALID); a script whose URL `createHost({ scripts })` replaces loses its hash unless
   * `createHost({ scriptIntegrity })` gives one.
   */
  integrity?: Readonly<Record<string, string>>;
  /** Which of them the sign-in page loads, before the panels, when it shows an instance of this Type. */
  loginScripts?: readonly string[];
  /** Origins the panel may frame (a QR frame); no page may frame anything else. */
  frames?: readonly string[];
  /** Origins of images besides the host's (avatars a bind form shows). */
  images?: readonly string[];
}

/** Why a contributed sign-in page shows no panel: the status and a runtime word or an error code's words. */
export interface LoginPageRefusal {
  status: number;
  /** A word key (the runtime's or a contributed one) said as the message. */
  word?: string;
  /** Else an error code, said in its plain words (pages/error-words.ts). */
  code?: string;
}

/**
 * A sign-in page of the Type's own at `/login/<name>` (its key in `loginPages`), for the one
 * instance the page's query names: e.g. a page another app's client opens with the organisation in
 * the address, which signs in without a click. The page is the login page in mode `<name>`.
 */
export interface ContributedLoginPage {
  /** Names of the Type's scripts (PageNeeds.scripts) this page loads before the panel. */
  scripts?: readonly string[];
  /** The word key of the page's heading; default `login.heading`. */
  heading?: string;
  /** The instance the query names (its fullName) and data for the panel (page data), or a refusal. */
  choose(app: AppHandle, query: Record<string, unknown>): { instance: string | null; data?: Record<string, unknown> } | { refuse: LoginPageRefusal };
  /** Shown when the chosen instance is none, or not an active login instance. */
  noInstance: LoginPageRefusal;
}

/** One account of another system bound to a local user (a DingTalk member), as the console lists it. */
export interface BoundAccount {
  /** The binding's id (what `unbind` takes). */
  id: string;
  /** The system, for people: "DingTalk". */
  system: string;
  /** The organisation in that system (a DingTalk corpId), or null. */
  organisation: string | null;
  /** The account's id there (a DingTalk userid). */
  account: string;
  /** Other facts worth showing (unionId, phone, job number): no secret. */
  facts: Record<string, string | null>;
  createTime: Date;
  /** When the membership ended (left, or taken offline), or null while active. */
  leftAt: Date | null;
}

/** What the console can do with the accounts a family binds to local users. */
export interface ConsoleAccounts {
  /** Local users whose bound account has exactly this id (a DingTalk userid or unionId); for the user search. */
  findUserIds?(app: AppHandle, term: string): Promise<string[]>;
  /** The accounts bound to a local user. */
  accountsOf?(app: AppHandle, userId: string): Promise<BoundAccount[]>;
  /**
   * Removes one binding and ends the sessions that came through it, with its own audit rows (`actor`
   * goes into their details); null when there is no such binding.
   */
  unbind?(app: AppHandle, bindingId: string, actor: Record<string, unknown>): Promise<{ userId: string; revokedSessions: number } | null>;
}

export interface HostContribution {
  /**
   * The words of the Type's login panel (its frontendBundleEntry) by language; the login page hands
   * the panel those of the page's language (`panel.text(key)`). One catalog per language, owned here.
   */
  panelWords?: Partial<Record<Language, Readonly<Record<string, string>>>>;
  /** Resolvers of app.json `admins` entries `<prefix>:<rest>`, by prefix (a family's own). */
  adminResolvers?: Readonly<Record<string, AdminResolver>>;
  console?: ConsoleAccounts;
  /** What the Type's login panel needs on the pages: scripts and CSP origins (see PageNeeds). */
  pageNeeds?(app: AppHandle): PageNeeds;
  /** Sign-in pages of the Type's own, by name: `/login/<name>`. */
  loginPages?: Readonly<Record<string, ContributedLoginPage>>;
  /**
   * Host words said in the family's terms, by language: they replace the runtime's family-neutral
   * words of the same key (`users.search`: "..., or DingTalk userid") or add keys its own pages use.
   * The first Type (by fullName) to give a key keeps it.
   */
  words?: Partial<Record<Language, Readonly<Record<string, string>>>>;
}

export interface ContributionEntry {
  /** The Type (or Meta) whose module exported it. */
  owner: string;
  contribution: HostContribution;
}

/** Every contribution of the app's valid Types and Metas, by fullName order. */
export function hostContributions(app: AppHandle): ContributionEntry[] {
  const found: ContributionEntry[] = [];
  const seen = new Set<unknown>();
  for (const definition of app.findElements()) {
    if (definition.level === 'instance' || !definition.backendBundleEntry) continue;
    const contribution = contributionOf(definition.backendBundleEntry);
    if (!contribution || seen.has(contribution)) continue;
    seen.add(contribution);
    found.push({ owner: definition.fullName, contribution });
  }
  return found;
}

/** The contribution a Type's own module exports, if any. */
export function typeContribution(app: AppHandle, typeFullName: string): HostContribution | undefined {
  const definition = app.getDefinition(typeFullName);
  return definition?.valid && definition.backendBundleEntry ? contributionOf(definition.backendBundleEntry) : undefined;
}

/** The admins resolvers by prefix; the first Type (by fullName) to claim a prefix keeps it. */
export function adminResolvers(app: AppHandle): Map<string, AdminResolver> {
  const resolvers = new Map<string, AdminResolver>();
  for (const { contribution } of hostContributions(app)) {
    for (const [prefix, resolver] of Object.entries(contribution.adminResolvers ?? {})) {
      if (!resolvers.has(prefix) && typeof resolver === 'function') resolvers.set(prefix, resolver);
    }
  }
  return resolvers;
}

/** The contributed words of one language, the first Type (by fullName) to give a key keeping it. */
export function contributedWords(app: AppHandle, language: Language): Record<string, string> {
  const words: Record<string, string> = {};
  for (const { contribution } of hostContributions(app)) {
    for (const [key, text] of Object.entries(contribution.words?.[language] ?? {})) {
      if (!(key in words) && typeof text === 'string') words[key] = text;
    }
  }
  return words;
}

/** Every contributed sign-in page by name, with the Type that contributed it (the first claim wins). */
export function contributedLoginPages(app: AppHandle): Map<string, { owner: string; page: ContributedLoginPage }> {
  const pages = new Map<string, { owner: string; page: ContributedLoginPage }>();
  for (const { owner, contribution } of hostContributions(app)) {
    for (const [name, page] of Object.entries(contribution.loginPages ?? {})) {
      if (!pages.has(name) && page && typeof page.choose === 'function') pages.set(name, { owner, page });
    }
  }
  return pages;
}

/** The contributions of an element's Type chain (its own first, unless it is an instance), each once. */
export function chainContributions(app: AppHandle, fullName: string): HostContribution[] {
  const definition = app.getDefinition(fullName);
  if (!definition) return [];
  const found: HostContribution[] = [];
  const names = definition.level === 'instance' ? definition.typeChain : [definition.fullName, ...definition.typeChain];
  for (const name of names) {
    const contribution = typeContribution(app, name);
    if (contribution && !found.includes(contribution)) found.push(contribution);
  }
  return found;
}

/** The console's account handlers of every family. */
export function consoleAccounts(app: AppHandle): ConsoleAccounts[] {
  return hostContributions(app)
    .map((entry) => entry.contribution.console)
    .filter((accounts): accounts is ConsoleAccounts => !!accounts);
}

/**
 * The module's `hostContribution` export, else its element class's static `hostContribution`
 * (inherited: a module that subclasses an official Type, or replaces its e.json's module, keeps the
 * official Type's contribution without re-exporting it).
 */
function contributionOf(modulePath: string): HostContribution | undefined {
  const load = loadBundle(modulePath);
  if (!load.ok) return undefined;
  const exported = load.exports.hostContribution ?? (load.elementClass as { hostContribution?: unknown }).hostContribution;
  return exported && typeof exported === 'object' ? (exported as HostContribution) : undefined;
}
