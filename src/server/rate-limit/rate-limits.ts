import { createMiddleware } from 'hono/factory';
import type { Config } from '../../config/index.js';
import { ProblemError } from '../../web/index.js';
import { clientAddress } from './client-address.js';
import { type Limiter, memoryLimiter } from './limiter.js';
import { type TakeResult, TokenBuckets } from './token-buckets.js';

const tooMany = (what: string, result: Extract<TakeResult, { ok: false }>) =>
  new ProblemError(
    429,
    'RATE_LIMITED',
    `too many requests ${what}; retry after ${result.retryAfterSeconds} s`,
    [],
    {
      'Retry-After': String(result.retryAfterSeconds),
    },
  );

/** The settings the limits read. */
export type RateLimitSettings = Pick<
  Config,
  | 'trustProxy'
  | 'rateLimitKeyPerSecond'
  | 'rateLimitKeyBurst'
  | 'rateLimitAddressPerSecond'
  | 'rateLimitAddressBurst'
>;

/**
 * The service's rate limits: one per API key (taken once the key is verified) and one per
 * client address (taken before anything else). By default token buckets in process memory, so
 * each instance limits on its own; `openSharedRateLimits` passes limiters backed by Redis.
 */
export class RateLimits {
  readonly byKey: Limiter;
  readonly byAddress: Limiter;

  constructor(
    private readonly config: RateLimitSettings,
    now?: () => number,
    limiters?: { byKey: Limiter; byAddress: Limiter },
  ) {
    this.byKey =
      limiters?.byKey ??
      memoryLimiter(
        new TokenBuckets({ perSecond: config.rateLimitKeyPerSecond, burst: config.rateLimitKeyBurst, now }),
      );
    this.byAddress =
      limiters?.byAddress ??
      memoryLimiter(
        new TokenBuckets({
          perSecond: config.rateLimitAddressPerSecond,
          burst: config.rateLimitAddressBurst,
          now,
        }),
      );
  }

  /** Takes a request of the key `keyId`; throws a 429 `RATE_LIMITED` problem with `Retry-After`. */
  async limitKey(keyId: string): Promise<void> {
    const result = await this.byKey.take(keyId);
    if (!result.ok) throw tooMany('for this API key', result);
  }

  /** Middleware taking a request of the client address (when known) before the route runs. */
  addressMiddleware() {
    return createMiddleware(async (c, next) => {
      const address = clientAddress(c, this.config.trustProxy);
      if (address !== undefined) {
        const result = await this.byAddress.take(address);
        if (!result.ok) throw tooMany('from this address', result);
      }
      await next();
    });
  }
}
