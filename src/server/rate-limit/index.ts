/** In-process rate limits: token buckets per API key and per client address (memory only). */
export { clientAddress } from './client-address.js';
export { RateLimits } from './rate-limits.js';
export { type TakeResult, type TokenBucketOptions, TokenBuckets } from './token-buckets.js';
