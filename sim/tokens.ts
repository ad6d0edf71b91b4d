/**
 * App and user access tokens with DingTalk's lifetimes (docs/dingtalk-facts.md §2, §3c):
 * - app token: 7200 s; fetching again while it is valid returns the same token and renews its life
 *   ("自动续期"); after expiry a new one is issued. One live token per app, shared by
 *   `/v1.0/oauth2/accessToken` and `/gettoken` (both are accepted by topapi).
 * - user token: 7200 s; refresh token 30 days.
 * Expired tokens are remembered so topapi can answer 42001 (expired) rather than 40014 (unknown);
 * revoked tokens are forgotten, so they read as unknown.
 */
import { randomBytes } from 'node:crypto';
import type { SimClock } from './clock';

export const APP_TOKEN_LIFETIME_S = 7200;
export const USER_TOKEN_LIFETIME_S = 7200;
export const REFRESH_TOKEN_LIFETIME_MS = 30 * 24 * 3600 * 1000;

export interface AppTokenRecord {
  kind: 'app';
  token: string;
  appKey: string;
  expiresAt: number;
}

export interface UserTokenRecord {
  kind: 'user';
  token: string;
  appKey: string;
  unionid: string;
  corpId?: string;
  expiresAt: number;
}

interface RefreshRecord {
  appKey: string;
  unionid: string;
  corpId?: string;
  expiresAt: number;
}

export type TokenLookup =
  | { status: 'valid'; record: AppTokenRecord | UserTokenRecord }
  | { status: 'expired'; record: AppTokenRecord | UserTokenRecord }
  | { status: 'unknown' };

/** Above this many remembered tokens, long-expired ones are dropped (soak tests mint many). */
const PRUNE_THRESHOLD = 20_000;

export class TokenStore {
  private readonly tokens = new Map<string, AppTokenRecord | UserTokenRecord>();
  private readonly liveAppToken = new Map<string, AppTokenRecord>();
  private readonly refreshTokens = new Map<string, RefreshRecord>();

  constructor(private readonly clock: SimClock) {}

  /** The app's token: the same one while valid (its life renewed), else a new one. */
  issueAppToken(appKey: string): { token: string; expiresIn: number } {
    const now = this.clock.now();
    let record = this.liveAppToken.get(appKey);
    if (!record || record.expiresAt <= now || !this.tokens.has(record.token)) {
      this.pruneIfLarge();
      record = { kind: 'app', token: newToken(), appKey, expiresAt: 0 };
      this.tokens.set(record.token, record);
      this.liveAppToken.set(appKey, record);
    }
    // The doc leaves open whether expireIn then reports the remaining time; we report the full,
    // renewed lifetime, which is what the renewal means.
    record.expiresAt = now + APP_TOKEN_LIFETIME_S * 1000;
    return { token: record.token, expiresIn: APP_TOKEN_LIFETIME_S };
  }

  issueUserToken(appKey: string, unionid: string, corpId?: string): { accessToken: string; refreshToken: string; expireIn: number } {
    this.pruneIfLarge();
    const now = this.clock.now();
    const record: UserTokenRecord = { kind: 'user', token: newToken(), appKey, unionid, corpId, expiresAt: now + USER_TOKEN_LIFETIME_S * 1000 };
    this.tokens.set(record.token, record);
    const refreshToken = newToken();
    this.refreshTokens.set(refreshToken, { appKey, unionid, corpId, expiresAt: now + REFRESH_TOKEN_LIFETIME_MS });
    return { accessToken: record.token, refreshToken, expireIn: USER_TOKEN_LIFETIME_S };
  }

  /** grantType=refresh_token: single use, for the same app; undefined when invalid. */
  refreshUserToken(appKey: string, refreshToken: string): ReturnType<TokenStore['issueUserToken']> & { corpId?: string } | undefined {
    const record = this.refreshTokens.get(refreshToken);
    if (!record || record.appKey !== appKey || record.expiresAt <= this.clock.now()) return undefined;
    this.refreshTokens.delete(refreshToken);
    return { ...this.issueUserToken(appKey, record.unionid, record.corpId), corpId: record.corpId };
  }

  lookup(token: string | undefined | null): TokenLookup {
    const record = token ? this.tokens.get(token) : undefined;
    if (!record) return { status: 'unknown' };
    return record.expiresAt > this.clock.now() ? { status: 'valid', record } : { status: 'expired', record };
  }

  /** Invalidate every issued token (app and user) and refresh token. */
  revokeAll(): void {
    this.tokens.clear();
    this.liveAppToken.clear();
    this.refreshTokens.clear();
  }

  private pruneIfLarge(): void {
    if (this.tokens.size < PRUNE_THRESHOLD) return;
    const horizon = this.clock.now() - 24 * 3600 * 1000;
    for (const [token, record] of this.tokens) if (record.expiresAt < horizon) this.tokens.delete(token);
    for (const [token, record] of this.refreshTokens) if (record.expiresAt < this.clock.now()) this.refreshTokens.delete(token);
  }
}

/** 32 lowercase hex characters, the shape of DingTalk's tokens. */
function newToken(): string {
  return randomBytes(16).toString('hex');
}
