/** Options of {@link TokenBuckets}. */
export interface TokenBucketOptions {
  /** Tokens added per second (the sustained rate); 0 disables the limit. */
  perSecond: number;
  /** Most tokens a bucket holds (the burst). */
  burst: number;
  /** Most buckets kept; beyond it the least recently used are evicted (default 10 000). */
  maxBuckets?: number;
  /** Monotonic clock in ms (default `performance.now`). */
  now?: () => number;
}

/** The outcome of {@link TokenBuckets.take}. */
export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * In-process token buckets, one per id (a key id, a client address), in memory only. Memory is
 * bounded: a bucket that has refilled completely holds no information and is dropped when met, and
 * beyond `maxBuckets` the least recently used buckets are evicted (a `Map` keeps insertion order,
 * and every use re-inserts).
 *
 * @example
 * const buckets = new TokenBuckets({ perSecond: 10, burst: 20 });
 * if (!buckets.take(keyId).ok) … // 429
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxBuckets: number;
  private readonly now: () => number;

  constructor(private readonly options: TokenBucketOptions) {
    this.maxBuckets = Math.max(1, options.maxBuckets ?? 10_000);
    this.now = options.now ?? (() => performance.now());
  }

  /** Buckets held now. */
  get size(): number {
    return this.buckets.size;
  }

  /** Takes one token of `id`'s bucket, or says how many seconds until one is there. */
  take(id: string): TakeResult {
    const { perSecond, burst } = this.options;
    if (perSecond <= 0) return { ok: true };
    const now = this.now();
    const previous = this.buckets.get(id);
    const tokens =
      previous === undefined
        ? burst
        : Math.min(burst, previous.tokens + ((now - previous.at) / 1000) * perSecond);
    this.buckets.delete(id);
    if (tokens < 1) {
      this.buckets.set(id, { tokens, at: now });
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perSecond)) };
    }
    this.buckets.set(id, { tokens: tokens - 1, at: now });
    if (this.buckets.size > this.maxBuckets) this.evict(now);
    return { ok: true };
  }

  /** Drops full (idle) buckets, then the least recently used ones down to the bound. */
  private evict(now: number): void {
    const { perSecond, burst } = this.options;
    for (const [id, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * perSecond >= burst) this.buckets.delete(id);
    }
    for (const id of this.buckets.keys()) {
      if (this.buckets.size <= this.maxBuckets) break;
      this.buckets.delete(id);
    }
  }
}
