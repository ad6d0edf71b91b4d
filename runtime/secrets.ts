/**
 * Secrets live in memory only. Each loaded app owns a `SecretRegistry` (`app.secrets`): the loader
 * registers the config values it resolves as secrets (x-secret, {{NAME}} references) there, the
 * app's DingTalk clients register their tokens there, and the app's logger masks them in every line.
 * Two apps in one process share nothing: closing an app forgets its secrets and no other app's.
 *
 * `redactSecrets(text)` is the process's last line of defence for output that belongs to no one app
 * (HTTP response bodies, audit rows, the CLI's output): it masks the secrets of every open app's
 * registry, and of the process registry that the deprecated module functions (`registerSecret`,
 * `forgetSecret`) still feed for code that has no app.
 *
 * Secrets are registered on hot paths (each login registers its user token), so registering must be
 * O(1) and redacting must not grow with the number of secrets: they are indexed by their first
 * PREFIX_LENGTH characters, and redaction scans the text once, looking each window up in the indexes.
 */

/** Secrets shorter than this are not worth masking (and would mask ordinary words). */
const MIN_SECRET_LENGTH = 8;
const PREFIX_LENGTH = MIN_SECRET_LENGTH;
export const REDACTED = '[redacted]';

export class SecretRegistry {
  /** prefix -> the registered secrets starting with it, longest first (so the longest match wins). */
  private readonly byPrefix = new Map<string, string[]>();
  private count = 0;

  /** Masks `value` from now on (a string shorter than 8 characters, or not a string, is ignored). */
  register(value: unknown): void {
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return;
    const prefix = value.slice(0, PREFIX_LENGTH);
    const bucket = this.byPrefix.get(prefix);
    if (!bucket) {
      this.byPrefix.set(prefix, [value]);
    } else if (!bucket.includes(value)) {
      bucket.push(value);
      bucket.sort((a, b) => b.length - a.length);
    } else {
      return;
    }
    this.count++;
  }

  /** Whether `value` is registered here already. */
  has(value: unknown): boolean {
    return typeof value === 'string' && !!this.byPrefix.get(value.slice(0, PREFIX_LENGTH))?.includes(value);
  }

  forget(value: string): void {
    const prefix = value.slice(0, PREFIX_LENGTH);
    const bucket = this.byPrefix.get(prefix);
    const index = bucket ? bucket.indexOf(value) : -1;
    if (!bucket || index < 0) return;
    bucket.splice(index, 1);
    if (bucket.length === 0) this.byPrefix.delete(prefix);
    this.count--;
  }

  /** Forgets every secret (the app closes). */
  clear(): void {
    this.byPrefix.clear();
    this.count = 0;
  }

  /** How many secrets are registered (for tests and diagnostics; never the secrets themselves). */
  get size(): number {
    return this.count;
  }

  /** `text` with every secret registered here replaced by [redacted]. */
  redact(text: string): string {
    return redactWith(text, [this]);
  }

  /** The longest secret registered here that starts at `text[i]` (its prefix is `prefix`). */
  matchAt(text: string, i: number, prefix: string): string | undefined {
    return this.byPrefix.get(prefix)?.find((secret) => text.startsWith(secret, i));
  }
}

/** `text` with the secrets of every registry in `registries` masked, in one scan. */
export function redactWith(text: string, registries: Iterable<SecretRegistry>): string {
  const live = [...registries].filter((registry) => registry.size > 0);
  if (live.length === 0 || text.length < MIN_SECRET_LENGTH) return text;
  let out = '';
  let copiedUpTo = 0;
  let i = 0;
  while (i <= text.length - MIN_SECRET_LENGTH) {
    const prefix = text.slice(i, i + PREFIX_LENGTH);
    let match: string | undefined;
    for (const registry of live) {
      const found = registry.matchAt(text, i, prefix);
      if (found && (!match || found.length > match.length)) match = found;
    }
    if (match) {
      out += text.slice(copiedUpTo, i) + REDACTED;
      i += match.length;
      copiedUpTo = i;
    } else {
      i++;
    }
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}

/** Secrets of code that has no app (the deprecated module functions below). */
const processSecrets = new SecretRegistry();
/** The registries `redactSecrets` masks: the process's, and each open app's (see `joinProcessRedaction`). */
const processRedaction = new Set<SecretRegistry>([processSecrets]);

/**
 * Adds an app's registry to what `redactSecrets` masks, until the returned function is called (the
 * app closes). The registry stays the app's: nothing is copied out of it.
 */
export function joinProcessRedaction(registry: SecretRegistry): () => void {
  processRedaction.add(registry);
  return () => {
    processRedaction.delete(registry);
  };
}

/** The process's redaction: the secrets of every open app and of the process registry. */
export function redactSecrets(text: string): string {
  return redactWith(text, processRedaction);
}

/** The process registry and `registries` (an app's logger masks its app's secrets and the process's). */
export function withProcessSecrets(...registries: SecretRegistry[]): SecretRegistry[] {
  return [processSecrets, ...registries];
}

/**
 * @deprecated Register with the app's registry (`app.secrets.register(value)`), or the registry of the
 * code that holds the secret. This one registers in the process registry, which no app close forgets.
 */
export function registerSecret(value: unknown): void {
  processSecrets.register(value);
}

/** @deprecated See `registerSecret`: forgets a secret of the process registry. */
export function forgetSecret(value: string): void {
  processSecrets.forget(value);
}

/** How many secrets the process registry holds (for tests and diagnostics). */
export function registeredSecretCount(): number {
  return processSecrets.size;
}

/** The process registry itself (the loader's default when it runs for no app: `jit validate`). */
export function processSecretRegistry(): SecretRegistry {
  return processSecrets;
}
