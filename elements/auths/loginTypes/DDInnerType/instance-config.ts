/**
 * The business config of one DDInnerType instance (`<instance>.json`), with the documented defaults
 * filled in. The loader has already validated the file against the Type's JSON Schema; this module
 * only gives the login code one typed, frozen view of it, so defaults live in exactly one place.
 */
import { JitError } from '../../../../runtime/errors';
import type { UserMatchAttribute } from '../../../../runtime/auth/types';

/** DingTalk member attributes a match rule may read (`binding.match[].source`). */
export const MATCH_SOURCES = ['mobile', 'email', 'org_email', 'job_number', 'userid', 'unionid', 'name'] as const;
export type MatchSource = (typeof MATCH_SOURCES)[number];

/** Local user attributes a match rule may compare against (`binding.match[].target`). */
export const MATCH_TARGETS: readonly UserMatchAttribute[] = ['phone', 'email', 'username', 'employeeNo'];

export type WhenNotAssociated = 'createUser' | 'bindExisting' | 'reject';
export type LoginScope = 'openid' | 'openid corpid';

export interface MatchRule {
  source: MatchSource;
  target: UserMatchAttribute;
}

export interface AuthConfig {
  appKey: string;
  /** In memory only; non-enumerable on the frozen object so a stray JSON.stringify cannot leak it. */
  appSecret: string;
  agentId: number;
  corpId: string;
}

export interface BindingPolicy {
  autoBind: boolean;
  match: readonly MatchRule[];
  whenNotAssociated: WhenNotAssociated;
}

export interface DDInnerInstanceConfig {
  authConfig: Readonly<AuthConfig>;
  scope: LoginScope;
  binding: Readonly<BindingPolicy>;
  isActive: boolean;
}

/** Documented defaults (CONTRACT §2): scope `openid`, autoBind on with no rules, provision a user. */
const DEFAULT_SCOPE: LoginScope = 'openid';
const DEFAULT_WHEN_NOT_ASSOCIATED: WhenNotAssociated = 'createUser';

/**
 * Reads an instance's resolved config. Throws CONFIG_INVALID naming the field when something the
 * schema should have caught is still wrong (e.g. an element whose schema was overridden).
 */
export function readInstanceConfig(fullName: string, raw: Readonly<Record<string, unknown>> | undefined): DDInnerInstanceConfig {
  if (!raw) {
    throw new JitError('CONFIG_INVALID', `${fullName} has no business config: a DingTalk login needs an Instance with ${fullName.split('.').pop()}.json`, { element: fullName });
  }
  const auth = asRecord(raw.authConfig);
  const field = (name: string) => `${fullName}: authConfig.${name}`;
  const appKey = requireString(auth.appKey, field('appKey'));
  const appSecret = requireString(auth.appSecret, field('appSecret'));
  const corpId = requireString(auth.corpId, field('corpId'));
  const agentId = Number(auth.agentId);
  if (!Number.isInteger(agentId)) throw new JitError('CONFIG_INVALID', `${field('agentId')} must be an integer`, { element: fullName });

  const authConfig = {} as AuthConfig;
  Object.defineProperties(authConfig, {
    appKey: { value: appKey, enumerable: true },
    appSecret: { value: appSecret, enumerable: false },
    agentId: { value: agentId, enumerable: true },
    corpId: { value: corpId, enumerable: true },
  });

  const scope = (raw.scope ?? DEFAULT_SCOPE) as LoginScope;
  if (scope !== 'openid' && scope !== 'openid corpid') {
    throw new JitError('CONFIG_INVALID', `${fullName}: scope must be "openid" or "openid corpid"`, { element: fullName });
  }

  const binding = asRecord(raw.binding);
  const whenNotAssociated = (binding.whenNotAssociated ?? DEFAULT_WHEN_NOT_ASSOCIATED) as WhenNotAssociated;
  if (!['createUser', 'bindExisting', 'reject'].includes(whenNotAssociated)) {
    throw new JitError('CONFIG_INVALID', `${fullName}: binding.whenNotAssociated must be createUser, bindExisting or reject`, { element: fullName });
  }
  const match = (Array.isArray(binding.match) ? binding.match : []).map((rule, index) => readMatchRule(fullName, rule, index));

  return Object.freeze({
    authConfig: Object.freeze(authConfig),
    scope,
    binding: Object.freeze({ autoBind: binding.autoBind !== false, match: Object.freeze(match), whenNotAssociated }),
    isActive: raw.isActive !== false,
  });
}

function readMatchRule(fullName: string, value: unknown, index: number): MatchRule {
  const rule = asRecord(value);
  const source = rule.source as MatchSource;
  const target = rule.target as UserMatchAttribute;
  if (!MATCH_SOURCES.includes(source) || !MATCH_TARGETS.includes(target)) {
    throw new JitError(
      'CONFIG_INVALID',
      `${fullName}: binding.match[${index}] needs a source in (${MATCH_SOURCES.join(', ')}) and a target in (${MATCH_TARGETS.join(', ')})`,
      { element: fullName },
    );
  }
  return Object.freeze({ source, target });
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function requireString(value: unknown, label: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new JitError('CONFIG_INVALID', `${label} is required`);
  return value;
}
