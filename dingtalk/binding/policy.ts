/**
 * The binding policy of a DingTalk login (and of a corp that brings its own credentials): how a
 * DingTalk member is associated with a local user. The login config and the corp config both carry
 * it as `binding`; this module reads it once, with the documented defaults, into a frozen value.
 */
import { JitError, type BindingKind, type UserMatchAttribute } from '../../runtime';

/** DingTalk member attributes a match rule may read (`binding.match[].source`). */
export const MATCH_SOURCES = ['mobile', 'email', 'org_email', 'job_number', 'userid', 'unionid', 'name'] as const;
export type MatchSource = (typeof MATCH_SOURCES)[number];

/** Local user attributes a match rule may compare against (`binding.match[].target`). */
export const MATCH_TARGETS: readonly UserMatchAttribute[] = ['phone', 'email', 'username', 'employeeNo'];

export type WhenNotAssociated = 'createUser' | 'bindExisting' | 'reject';

/** How a DingTalk member came to be bound to the local user: the login vocabulary's (runtime/auth/login-result.ts). */
export type { BindingKind };

export interface MatchRule {
  source: MatchSource;
  target: UserMatchAttribute;
}

export interface BindingPolicy {
  autoBind: boolean;
  match: readonly MatchRule[];
  whenNotAssociated: WhenNotAssociated;
}

/** Documented default (CONTRACT §2): provision a local user. */
const DEFAULT_WHEN_NOT_ASSOCIATED: WhenNotAssociated = 'createUser';

/**
 * Reads a `binding` object (absent means every default). CONFIG_INVALID naming `owner` and the field
 * when something the schema should have caught is still wrong (e.g. an overridden schema).
 */
export function readBindingPolicy(owner: string, value: unknown): Readonly<BindingPolicy> {
  const binding = asRecord(value);
  const whenNotAssociated = (binding.whenNotAssociated ?? DEFAULT_WHEN_NOT_ASSOCIATED) as WhenNotAssociated;
  if (!['createUser', 'bindExisting', 'reject'].includes(whenNotAssociated)) {
    throw new JitError('CONFIG_INVALID', `${owner}: binding.whenNotAssociated must be createUser, bindExisting or reject`, { element: owner });
  }
  const match = (Array.isArray(binding.match) ? binding.match : []).map((rule, index) => readMatchRule(owner, rule, index));
  return Object.freeze({ autoBind: binding.autoBind !== false, match: Object.freeze(match), whenNotAssociated });
}

function readMatchRule(owner: string, value: unknown, index: number): MatchRule {
  const rule = asRecord(value);
  const source = rule.source as MatchSource;
  const target = rule.target as UserMatchAttribute;
  if (!MATCH_SOURCES.includes(source) || !MATCH_TARGETS.includes(target)) {
    throw new JitError(
      'CONFIG_INVALID',
      `${owner}: binding.match[${index}] needs a source in (${MATCH_SOURCES.join(', ')}) and a target in (${MATCH_TARGETS.join(', ')})`,
      { element: owner },
    );
  }
  return Object.freeze({ source, target });
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
