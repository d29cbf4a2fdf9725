/**
 * Checks of the options a tracker is created with. A configuration that can never work (an
 * endpoint that is not a URL, an empty key, a batch size of 0) would otherwise be found only by
 * the writer, which takes every failure for a passing one and retries it forever; refused here,
 * it fails once, at start-up, where the developer sees it. Plain code, no zod: the edge entry
 * (`tripmeter/http`) stays small.
 */
import { NOTES_POLICIES } from '../privacy/index.js';

/** Thrown by `createTripmeter` / `createHttpTripmeter` for an option that can never work. */
export class InvalidOptionError extends Error {
  readonly code = 'INVALID_OPTION';
  constructor(
    /** The option's name as the caller wrote it, e.g. `endpoint`, `retry.maxMs`. */
    readonly option: string,
    /** What it must be, e.g. `an absolute http(s):// URL`. */
    readonly expected: string,
    got: unknown,
  ) {
    super(`tripmeter: option ${option} must be ${expected}; got ${shown(got)}`);
    this.name = 'InvalidOptionError';
  }
}

/** The value as the message shows it: short, and never a secret in full. */
function shown(value: unknown): string {
  if (typeof value === 'string')
    return value.length > 40 ? `${JSON.stringify(value.slice(0, 40))}…` : JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

/** setTimeout's limit: a longer delay fires at once (Node warns), so no interval may exceed it. */
export const MAX_DELAY_MS = 2_147_483_647;

/** Refuses `value` unless it is an integer in [min, max] (undefined passes: the default applies). */
export function checkInteger(option: string, value: unknown, min: number, max: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new InvalidOptionError(option, `a whole number from ${min} to ${max}`, value);
}

/** Refuses `value` unless it is a finite number of milliseconds in [min, {@link MAX_DELAY_MS}]. */
export function checkMilliseconds(option: string, value: unknown, min: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > MAX_DELAY_MS)
    throw new InvalidOptionError(option, `a number of milliseconds from ${min} to ${MAX_DELAY_MS}`, value);
}

/** Refuses `value` unless it is one of `allowed` (undefined passes). */
export function checkOneOf(option: string, value: unknown, allowed: readonly string[]): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || !allowed.includes(value))
    throw new InvalidOptionError(option, `one of ${allowed.join(', ')}`, value);
}

/** Refuses `value` unless it is a function (undefined passes). */
export function checkFunction(option: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function')
    throw new InvalidOptionError(option, 'a function', value);
}

/** Refuses `value` unless it is a non-empty string without spaces or control characters. */
export function checkToken(option: string, value: unknown): void {
  if (typeof value !== 'string' || !/^[\x21-\x7e]+$/.test(value))
    throw new InvalidOptionError(option, 'a non-empty string without spaces or control characters', value);
}

/**
 * Refuses `value` unless it is an absolute URL whose protocol is one of `protocols`, without
 * user and password (fetch refuses those) and without query or fragment (paths are appended).
 */
export function checkUrl(option: string, value: unknown, protocols: readonly string[]): URL {
  const expected = `an absolute ${protocols.map((p) => `${p}//`).join(' or ')} URL without credentials, query or fragment`;
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new InvalidOptionError(option, expected, value);
  }
  if (typeof value !== 'string' || !protocols.includes(url.protocol) || url.username || url.password)
    throw new InvalidOptionError(option, expected, value);
  if (url.search || url.hash) throw new InvalidOptionError(option, expected, value);
  return url;
}

/** The options every tracker takes (the writer's and the core's), as {@link checkTrackerOptions} reads them. */
interface CheckedTrackerOptions {
  maxQueue?: unknown;
  overflow?: unknown;
  batchSize?: unknown;
  maxBatchSize?: unknown;
  concurrency?: unknown;
  flushIntervalMs?: unknown;
  retry?: unknown;
  now?: unknown;
  logger?: unknown;
  notesPolicy?: unknown;
}

/** The largest queue and batch accepted: beyond, memory, not the option, is the limit. */
const MAX_ITEMS = 10_000_000;

/**
 * Checks the options of the tracker core (queue, batching, retry timing, clock, logger, notes
 * policy); throws {@link InvalidOptionError} naming the first that can never work.
 *
 * @example
 * checkTrackerOptions({ batchSize: 0 }); // throws: option batchSize must be a whole number from 1 to …
 */
export function checkTrackerOptions(options: CheckedTrackerOptions): void {
  checkInteger('maxQueue', options.maxQueue, 1, MAX_ITEMS);
  checkOneOf('overflow', options.overflow, ['drop-oldest', 'drop-newest']);
  checkInteger('batchSize', options.batchSize, 1, MAX_ITEMS);
  checkInteger('maxBatchSize', options.maxBatchSize, 1, MAX_ITEMS);
  checkInteger('concurrency', options.concurrency, 1, 64);
  checkMilliseconds('flushIntervalMs', options.flushIntervalMs, 0);
  if (options.retry !== undefined) {
    if (options.retry === null || typeof options.retry !== 'object')
      throw new InvalidOptionError('retry', 'an object such as { baseMs: 100, maxMs: 10000 }', options.retry);
    const retry = options.retry as Record<string, unknown>;
    checkMilliseconds('retry.baseMs', retry.baseMs, 1);
    checkMilliseconds('retry.maxMs', retry.maxMs, 1);
    checkMilliseconds('retry.maxRetryAfterMs', retry.maxRetryAfterMs, 0);
  }
  checkFunction('now', options.now);
  if (options.logger !== undefined) {
    const logger = options.logger as { warn?: unknown; error?: unknown } | null;
    if (logger === null || typeof logger.warn !== 'function' || typeof logger.error !== 'function')
      throw new InvalidOptionError('logger', 'an object with warn and error methods (pino, console)', logger);
  }
  checkOneOf('notesPolicy', options.notesPolicy, NOTES_POLICIES);
}
