import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Limiter } from './limiter.js';

/** Options of {@link redisLimiter}. */
export interface RedisLimiterOptions {
  client: Redis;
  /** Keeps the counts of one limit (and one schema) apart from the others in Redis. */
  keyPrefix: string;
  /** The sustained rate; 0 disables the limit. */
  perSecond: number;
  /** The requests allowed at once. */
  burst: number;
  /** Called for every request decided in memory because Redis did not answer. */
  onFallback(): void;
}

/**
 * A limit whose counts live in Redis, so every instance draws on one allowance
 * (`rate-limiter-flexible`, an atomic increment per request). Its fixed windows hold `burst`
 * requests per `burst / perSecond` seconds: the same sustained rate as the in-process token
 * bucket, with at most twice the burst across a window edge. When Redis is unreachable the
 * request is decided by an in-memory limiter of the same shape (the library's insurance
 * limiter), so the service keeps answering, per instance, and `onFallback` counts it.
 */
export function redisLimiter(options: RedisLimiterOptions): Limiter {
  if (options.perSecond <= 0) return { take: async () => ({ ok: true }) };
  const shape = {
    points: options.burst,
    duration: Math.max(1, Math.round(options.burst / options.perSecond)),
  };
  const insurance = new RateLimiterMemory({ ...shape, keyPrefix: options.keyPrefix });
  const local = insurance.consume.bind(insurance);
  insurance.consume = (key, points, opts) => {
    options.onFallback();
    return local(key, points, opts);
  };
  const shared = new RateLimiterRedis({
    ...shape,
    storeClient: options.client,
    keyPrefix: options.keyPrefix,
    insuranceLimiter: insurance,
  });
  return {
    async take(id) {
      try {
        await shared.consume(id);
        return { ok: true };
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
      }
    },
  };
}
