/**
 * The app (corp) access token cache: one per DingTalk runtime (per loaded app, never per process:
 * two apps in one process share nothing), one entry per (token host, appKey, appSecret hash).
 * A token is refreshed ahead of its expiry; callers that arrive while a fetch is under way
 * share it (single flight), so a thousand logins on a cold cache make one token request. A token
 * DingTalk refuses is dropped by `invalidate`, only if it is still the cached one, so a late failure
 * cannot throw away the fresh token that replaced it.
 */
import { createHash } from 'node:crypto';

/** Refresh this long before expiry, as DingTalk's calling guide suggests (docs/dingtalk-facts.md §2). */
export const REFRESH_AHEAD_MS = 10 * 60_000;

export interface AppToken {
  readonly value: string;
  /** Local clock (ms) at which DingTalk stops accepting it. */
  readonly expiresAt: number;
  /** Local clock (ms) from which a call fetches a new one instead. */
  readonly refreshAt: number;
}

export interface FetchedToken {
  accessToken: string;
  /** Seconds, as DingTalk sends it. */
  expireIn: number;
}

/** Why a token is being fetched: none yet, the cached one is about to expire, DingTalk refused it, or a caller asked. */
export type TokenFetchCause = 'cold' | 'refresh' | 'rejected' | 'forced';

interface Entry {
  token?: AppToken;
  inflight?: Promise<AppToken>;
  /** The last token was dropped because DingTalk refused it. */
  rejected?: boolean;
}

/**
 * The cache key. The secret takes part only as a SHA-256 prefix: two apps with one appKey and different
 * secrets (a rotated secret) do not share a token, and the key is safe to print.
 */
export function tokenCacheKey(apiUrl: string, appKey: string, appSecret: string): string {
  const secretHash = createHash('sha256').update(appSecret).digest('hex').slice(0, 16);
  return `${apiUrl} ${appKey} ${secretHash}`;
}

export class AppTokenCache {
  private entries = new Map<string, Entry>();

  /**
   * A valid token for `key`: the cached one, or one fetched by `fetch` (shared with concurrent callers).
   * When a refresh ahead of expiry fails while the cached token is still valid, the cached one is used
   * and the next call tries again: DingTalk being briefly down does not stop logins for 10 minutes.
   */
  async get(key: string, fetch: (cause: TokenFetchCause) => Promise<FetchedToken>, now: () => number, options: { forceRefresh?: boolean } = {}): Promise<string> {
    const entry = this.entryFor(key);
    const current = entry.token;
    if (current && !options.forceRefresh && now() < current.refreshAt) return current.value;
    const cause: TokenFetchCause = options.forceRefresh ? 'forced' : current ? 'refresh' : entry.rejected ? 'rejected' : 'cold';
    try {
      return (await this.refresh(entry, () => fetch(cause), now)).value;
    } catch (error) {
      if (current && !options.forceRefresh && entry.token === current && now() < current.expiresAt) return current.value;
      throw error;
    }
  }

  /** Drops `tokenValue` if it is still the cached token for `key`. */
  invalidate(key: string, tokenValue: string): void {
    const entry = this.entries.get(key);
    if (entry?.token?.value === tokenValue) {
      entry.token = undefined;
      entry.rejected = true;
    }
  }

  /** Forgets every cached token. */
  clear(): void {
    // A new map, so a fetch still in flight fills an entry nobody reads any more.
    this.entries = new Map();
  }

  private entryFor(key: string): Entry {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = {};
      this.entries.set(key, entry);
    }
    return entry;
  }

  private refresh(entry: Entry, fetch: () => Promise<FetchedToken>, now: () => number): Promise<AppToken> {
    entry.inflight ??= (async () => {
      try {
        // Lifetimes count from when the request left: the token cannot outlive that.
        const requestedAt = now();
        const fetched = await fetch();
        const lifetimeMs = Math.max(0, fetched.expireIn * 1000);
        const token: AppToken = {
          value: fetched.accessToken,
          expiresAt: requestedAt + lifetimeMs,
          // A short-lived token (not DingTalk's usual 7200 s) is refreshed at half its life instead.
          refreshAt: requestedAt + lifetimeMs - Math.min(REFRESH_AHEAD_MS, lifetimeMs / 2),
        };
        entry.token = token;
        entry.rejected = false;
        return token;
      } finally {
        entry.inflight = undefined;
      }
    })();
    return entry.inflight;
  }
}
