/**
 * The business config of one DDInnerType instance (`<instance>.json`). The loader has resolved its
 * {{NAME}} references, validated it against the Type's JSON Schema
 * (schemas/auths.loginTypes.DDInnerType.config.json), filled in the schema's defaults and registered
 * its secret with the app: the schema is the one place its enums and defaults live. This module only
 * gives the login code one typed, frozen view of that config; the secret is non-enumerable.
 * `authConfig` and `binding` are read by dingtalk/ (a corp with its own credentials reads them the
 * same way).
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
  /** The app's DingTalk call budget: calls per second per API (`dingtalk.qps`). */
  dingtalk: Readonly<{ qps: number }>;
  /**
   * Deprecated here (org settings live in a corp): a login that still carries `sync` is synced through
   * an implied corp. Absent when the config has none.
   */
  sync?: Readonly<{ intervalMinutes?: number }>;
}

/** The config as the schema shapes it once the loader filled its defaults in. */
interface LoginConfigFile {
  authConfig: unknown;
  scope: LoginScope;
  binding: unknown;
  isActive: boolean;
  dingtalk: { qps: number };
  sync?: { intervalMinutes?: number };
}

/** The typed, frozen view of an instance's resolved config. CONFIG_INVALID when there is none (the Type itself). */
export function readInstanceConfig(fullName: string, raw: Readonly<Record<string, unknown>> | undefined): DDInnerInstanceConfig {
  if (!raw) {
    throw new JitError('CONFIG_INVALID', `${fullName} has no business config: a DingTalk login needs an Instance with ${fullName.split('.').pop()}.json`, { element: fullName });
  }
  const config = raw as unknown as LoginConfigFile;
  return Object.freeze({
    authConfig: readAuthConfig(config.authConfig),
    scope: config.scope,
    binding: readBindingPolicy(config.binding),
    isActive: config.isActive,
    dingtalk: Object.freeze({ qps: config.dingtalk.qps }),
    ...(config.sync ? { sync: Object.freeze({ ...config.sync }) } : {}),
  });
}
