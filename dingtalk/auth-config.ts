/**
 * `authConfig`: the credentials of one DingTalk enterprise-internal app (AppKey, AppSecret, AgentId)
 * and the organisation it serves (CorpId). A login carries it, and so does a corp synced without a
 * DingTalk login. The loader has validated it against the Type's schema (required fields, patterns)
 * and registered the secret with the app; this is its typed, frozen view, whose secret is
 * non-enumerable, so a stray JSON.stringify of the config cannot leak it.
 */

export interface AuthConfig {
  appKey: string;
  /** In memory only; non-enumerable on the frozen object. */
  appSecret: string;
  agentId: number;
  corpId: string;
}

/** The view of a schema-validated `authConfig` (the instance's resolved config). */
export function readAuthConfig(value: unknown): Readonly<AuthConfig> {
  const { appKey, appSecret, agentId, corpId } = value as AuthConfig;
  const authConfig = {} as AuthConfig;
  Object.defineProperties(authConfig, {
    appKey: { value: appKey, enumerable: true },
    appSecret: { value: appSecret, enumerable: false },
    agentId: { value: agentId, enumerable: true },
    corpId: { value: corpId, enumerable: true },
  });
  return Object.freeze(authConfig);
}
