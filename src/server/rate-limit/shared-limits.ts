import { Redis } from 'ioredis';
import type { Config } from '../../config/index.js';
import { type RateLimitSettings, RateLimits } from './rate-limits.js';
import { redisLimiter } from './redis-limiter.js';

/** Rate limits shared through Redis, and how to let go of the connection. */
export interface SharedRateLimits {
  limits: RateLimits;
  /** Requests decided in memory because Redis did not answer. */
  readonly fallbacks: number;
  /** Whether the Redis connection is up now (requests are decided in memory while it is not). */
  readonly connected: boolean;
  close(): Promise<void>;
}

/** How often at most a Redis outage is logged (the client retries far more often). */
const LOG_EVERY_MS = 30_000;

/**
 * The rate limits of `serve` with `redisUrl` set: the per-key and per-address counts live in
 * Redis, so N instances behind a load balancer allow one limit in total, not N. Redis being
 * away never fails a request: the client does not queue commands while disconnected (and gives
 * up on one after 500 ms), each
 * request is decided in this instance's memory instead, and the outage is logged (at most every
 * 30 s) and counted. ioredis reconnects by itself.
 *
 * @example
 * const shared = openSharedRateLimits({ ...config, redisUrl: 'redis://127.0.0.1:6379' }, logger, 'trip_tracking');
 */
export function openSharedRateLimits(
  config: RateLimitSettings & Pick<Config, 'redisUrl'>,
  logger: { warn(details: object, message: string): void },
  namespace: string,
): SharedRateLimits {
  if (!config.redisUrl) throw new Error('openSharedRateLimits needs redisUrl');
  const client = new Redis(config.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    // A Redis that accepts but does not answer must not hold requests: after 500 ms the command
    // fails and the request is decided in memory.
    commandTimeout: 500,
  });
  let fallbacks = 0;
  let loggedAt = Number.NEGATIVE_INFINITY;
  const note = (details: object, message: string) => {
    const now = performance.now();
    if (now - loggedAt < LOG_EVERY_MS) return;
    loggedAt = now;
    logger.warn(details, message);
  };
  client.on('error', (error: Error & { code?: string }) =>
    note(
      { err: { type: error.name, code: error.code } },
      'redis unreachable; rate limits are per instance meanwhile',
    ),
  );
  const onFallback = () => {
    fallbacks++;
    note({ fallbacks }, 'rate limit decided in memory: redis did not answer');
  };
  const limits = new RateLimits(config, undefined, {
    byKey: redisLimiter({
      client,
      keyPrefix: `tripmeter:${namespace}:key`,
      perSecond: config.rateLimitKeyPerSecond,
      burst: config.rateLimitKeyBurst,
      onFallback,
    }),
    byAddress: redisLimiter({
      client,
      keyPrefix: `tripmeter:${namespace}:address`,
      perSecond: config.rateLimitAddressPerSecond,
      burst: config.rateLimitAddressBurst,
      onFallback,
    }),
  });
  return {
    limits,
    get fallbacks() {
      return fallbacks;
    },
    get connected() {
      return client.status === 'ready';
    },
    async close() {
      client.disconnect();
    },
  };
}
