/**
 * `authConfig`: the credentials of one DingTalk enterprise-internal app (AppKey, AppSecret, AgentId)
 * and the organisation it serves (CorpId). A login carries it, and so does a corp synced without a
 * DingTalk login. Read once into a frozen value whose secret is non-enumerable, so a stray
 * JSON.stringify of the config cannot leak it.
 */
import { JitError } from '../runtime';

export interface AuthConfig {
  appKey: string;
  /** In memory only; non-enumerable on the frozen object. */
  appSecret: string;
  agentId: number;
  corpId: string;
}

/** Reads `authConfig` of the element `owner`; CONFIG_INVALID naming the field when one is missing. */
export function readAuthConfig(owner: string, value: unknown): Readonly<AuthConfig> {
  const auth = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const field = (name: string) => `${owner}: authConfig.${name}`;
  const appKey = requireString(auth.appKey, field('appKey'));
  const appSecret = requireString(auth.appSecret, field('appSecret'));
  const corpId = requireString(auth.corpId, field('corpId'));
  const agentId = Number(auth.agentId);
  if (!Number.isInteger(agentId)) throw new JitError('CONFIG_INVALID', `${field('agentId')} must be an integer`, { element: owner });

  const authConfig = {} as AuthConfig;
  Object.defineProperties(authConfig, {
    appKey: { value: appKey, enumerable: true },
    appSecret: { value: appSecret, enumerable: false },
    agentId: { value: agentId, enumerable: true },
    corpId: { value: corpId, enumerable: true },
  });
  return Object.freeze(authConfig);
}

function requireString(value: unknown, label: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new JitError('CONFIG_INVALID', `${label} is required`);
  return value;
}
