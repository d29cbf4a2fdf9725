/** Retry timing: capped exponential backoff with full jitter. */
export interface BackoffOptions {
  /** First delay in ms (default 100). */
  baseMs?: number;
  /** Cap in ms (default 10 000). */
  maxMs?: number;
}

/**
 * The delay before retry number `attempt` (0-based): a random value in
 * [0.5, 1] × min(maxMs, baseMs × 2^attempt), so retrying writers do not stampede together.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random = Math.random): number {
  const base = options.baseMs ?? 100;
  const cap = options.maxMs ?? 10_000;
  const ceiling = Math.min(cap, base * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling * (0.5 + random() * 0.5));
}
