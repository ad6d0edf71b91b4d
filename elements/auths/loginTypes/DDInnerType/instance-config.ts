/**
 * The business config of one DDInnerType instance (`<instance>.json`), with the documented defaults
 * filled in. The loader has already validated the file against the Type's JSON Schema; this module
 * only gives the login code one typed, frozen view of it, so defaults live in exactly one place.
 * `authConfig` and `binding` are read by dingtalk/ (a corp with its own credentials reads them the
 * same way); a login's `sync` settings are not read here any more: org settings live in a corp.
 */
import { JitError } from '../../../../runtime';
import { readAuthConfig, type AuthConfig } from '../../../../dingtalk/auth-config';
import { readBindingPolicy, type BindingPolicy } from '../../../../dingtalk/binding/policy';

export type { AuthConfig } from '../../../../dingtalk/auth-config';
export {
  MATCH_SOURCES,
  MATCH_TARGETS,
  type MatchSource,
  type MatchRule,
  type BindingPolicy,
  type WhenNotAssociated,
} from '../../../../dingtalk/binding/policy';

export type LoginScope = 'openid' | 'openid corpid';

export interface DDInnerInstanceConfig {
  authConfig: Readonly<AuthConfig>;
  scope: LoginScope;
  binding: Readonly<BindingPolicy>;
  isActive: boolean;
}

/** Documented default (CONTRACT §2): scope `openid`. */
const DEFAULT_SCOPE: LoginScope = 'openid';

/**
 * Reads an instance's resolved config. Throws CONFIG_INVALID naming the field when something the
 * schema should have caught is still wrong (e.g. an element whose schema was overridden).
 */
export function readInstanceConfig(fullName: string, raw: Readonly<Record<string, unknown>> | undefined): DDInnerInstanceConfig {
  if (!raw) {
    throw new JitError('CONFIG_INVALID', `${fullName} has no business config: a DingTalk login needs an Instance with ${fullName.split('.').pop()}.json`, { element: fullName });
  }
  const scope = (raw.scope ?? DEFAULT_SCOPE) as LoginScope;
  if (scope !== 'openid' && scope !== 'openid corpid') {
    throw new JitError('CONFIG_INVALID', `${fullName}: scope must be "openid" or "openid corpid"`, { element: fullName });
  }
  return Object.freeze({
    authConfig: readAuthConfig(fullName, raw.authConfig),
    scope,
    binding: readBindingPolicy(fullName, raw.binding),
    isActive: raw.isActive !== false,
  });
}
