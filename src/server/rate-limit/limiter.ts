import type { TakeResult, TokenBuckets } from './token-buckets.js';

/** One rate limit, whatever holds its counts: process memory or a store shared by instances. */
export interface Limiter {
  /** Takes one request's worth of `id`'s allowance, or says how long until there is some. */
  take(id: string): Promise<TakeResult>;
}

/** The in-process limit: token buckets in this instance's memory. */
export function memoryLimiter(buckets: TokenBuckets): Limiter {
  return { take: async (id) => buckets.take(id) };
}
