/**
 * The binding policy of a DingTalk login (and of a corp that brings its own credentials): how a
 * DingTalk member is associated with a local user. The login config and the corp config both carry
 * it as `binding`; the JSON Schema (schemas/auths.loginTypes.DDInnerType.config.json) holds its enums
 * and defaults, the loader fills those in, and this module gives one typed, frozen view of it.
 */
import type { BindingKind, UserMatchAttribute } from '../../runtime';

/** The login schema: the one place the binding's enums and defaults live. */
const LOGIN_SCHEMA = require('../../schemas/auths.loginTypes.DDInnerType.config.json') as {
  properties: { binding: { properties: { match: { items: { properties: { source: { enum: string[] }; target: { enum: string[] } } } } } } };
};
const MATCH_ITEM = LOGIN_SCHEMA.properties.binding.properties.match.items.properties;

export type MatchSource = 'mobile' | 'email' | 'org_email' | 'job_number' | 'userid' | 'unionid' | 'name';

/** DingTalk member attributes a match rule may read (`binding.match[].source`), as the schema lists them. */
export const MATCH_SOURCES: readonly MatchSource[] = Object.freeze(MATCH_ITEM.source.enum as MatchSource[]);

/** Local user attributes a match rule may compare against (`binding.match[].target`), as the schema lists them. */
export const MATCH_TARGETS: readonly UserMatchAttribute[] = Object.freeze(MATCH_ITEM.target.enum as UserMatchAttribute[]);

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

/** The view of a schema-validated `binding` (defaults filled in by the loader). */
export function readBindingPolicy(value: unknown): Readonly<BindingPolicy> {
  const binding = value as BindingPolicy;
  const match = binding.match.map(({ source, target }) => Object.freeze({ source, target }));
  return Object.freeze({ autoBind: binding.autoBind, match: Object.freeze(match), whenNotAssociated: binding.whenNotAssociated });
}
