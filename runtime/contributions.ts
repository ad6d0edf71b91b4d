/**
 * What element Types contribute to the host besides their elements (DECISIONS: "a DingTalk-free
 * runtime by a mechanism"): a Type's backendBundleEntry module may export `hostContribution`, and the
 * host collects them from the app's Types. The runtime names no family: the DingTalk login Type
 * contributes its panel's words, the `dingtalk:` resolver of app.json `admins`, and what the console
 * shows and does with DingTalk bindings; a user's own Type can contribute the same way.
 *
 *   // in a Type's module
 *   export const hostContribution: HostContribution = { adminResolvers: { ldap: resolveLdapAdmin } };
 */
import type { AppHandle } from './app-types';
import type { AdminResolver } from './auth/admins';
import { loadBundle } from './bundles';
import type { Language } from './settings';

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
  /** Resolvers of app.json `admins` entries `<prefix>:<rest>`, by prefix (`dingtalk`). */
  adminResolvers?: Readonly<Record<string, AdminResolver>>;
  console?: ConsoleAccounts;
  /** Origins the Type's login pages frame (CSP frame-src), e.g. its identity provider's login host. */
  frameOrigins?(app: AppHandle): readonly string[];
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

/** The console's account handlers of every family. */
export function consoleAccounts(app: AppHandle): ConsoleAccounts[] {
  return hostContributions(app)
    .map((entry) => entry.contribution.console)
    .filter((accounts): accounts is ConsoleAccounts => !!accounts);
}

function contributionOf(modulePath: string): HostContribution | undefined {
  const load = loadBundle(modulePath);
  if (!load.ok) return undefined;
  const exported = load.exports.hostContribution;
  return exported && typeof exported === 'object' ? (exported as HostContribution) : undefined;
}
