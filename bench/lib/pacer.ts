/**
 * A token bucket per DingTalk API, for the bare baseline clients: at most `perSecond` calls start in
 * any one second (capacity 1, one token every 1000/perSecond ms), the pace DingTalk's per-app per-API
 * limit allows. Callers queue in order.
 */
export class TokenBucket {
  private nextFree = 0;

  constructor(private readonly perSecond: number) {}

  /** Resolves when the caller may start its call. */
  async take(): Promise<void> {
    const now = performance.now();
    const at = Math.max(now, this.nextFree);
    this.nextFree = at + 1000 / this.perSecond;
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  }
}

/** One bucket per API name. */
export class ApiPacer {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly perSecond: number) {}

  take(api: string): Promise<void> {
    let bucket = this.buckets.get(api);
    if (!bucket) this.buckets.set(api, (bucket = new TokenBucket(this.perSecond)));
    return bucket.take();
  }
}
