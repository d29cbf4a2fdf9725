/**
 * Rate limits per API key and per client address: token buckets in memory per instance, or
 * counts shared by every instance in Redis (`redisUrl`).
 */
export { clientAddress } from './client-address.js';
export { type Limiter, memoryLimiter } from './limiter.js';
export { type RateLimitSettings, RateLimits } from './rate-limits.js';
export { type RedisLimiterOptions, redisLimiter } from './redis-limiter.js';
export { openSharedRateLimits, type SharedRateLimits } from './shared-limits.js';
export { type TakeResult, type TokenBucketOptions, TokenBuckets } from './token-buckets.js';
