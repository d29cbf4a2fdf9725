import { createMiddleware } from 'hono/factory';
import type { Config } from '../../config/index.js';
import { ProblemError } from '../../web/index.js';
import { clientAddress } from './client-address.js';
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

/**
 * The service's rate limits: a token bucket per API key (taken once the key is verified) and
 * one per client address (taken before anything else). Both live in process memory only.
 */
export class RateLimits {
  readonly byKey: TokenBuckets;
  readonly byAddress: TokenBuckets;

  constructor(
    private readonly config: Pick<
      Config,
      | 'trustProxy'
      | 'rateLimitKeyPerSecond'
      | 'rateLimitKeyBurst'
      | 'rateLimitAddressPerSecond'
      | 'rateLimitAddressBurst'
    >,
    now?: () => number,
  ) {
    this.byKey = new TokenBuckets({
      perSecond: config.rateLimitKeyPerSecond,
      burst: config.rateLimitKeyBurst,
      now,
    });
    this.byAddress = new TokenBuckets({
      perSecond: config.rateLimitAddressPerSecond,
      burst: config.rateLimitAddressBurst,
      now,
    });
  }

  /** Takes a token of the key `keyId`; throws a 429 `RATE_LIMITED` problem with `Retry-After`. */
  limitKey(keyId: string): void {
    const result = this.byKey.take(keyId);
    if (!result.ok) throw tooMany('for this API key', result);
  }

  /** Middleware taking a token of the client address (when known) before the route runs. */
  addressMiddleware() {
    return createMiddleware(async (c, next) => {
      const address = clientAddress(c, this.config.trustProxy);
      if (address !== undefined) {
        const result = this.byAddress.take(address);
        if (!result.ok) throw tooMany('from this address', result);
      }
      await next();
    });
  }
}
