/**
 * The platform-neutral tracker core: the calls an app makes (`startAttempt`, `resumeAttempt`,
 * `trackAttempt`), their validation and privacy filtering off the hot path (with the one event
 * mapper, `toEvent`, that HTTP ingest uses too), the bounded queue and batching, the retry
 * policy, and the sink contract that the PostgreSQL store (`store/`) and the HTTP sink (`http/`)
 * implement. Imports only `domain` and `privacy`: no driver, no `node:`.
 */
export type { ProviderCallInput } from './anatomy-input.js';
export type { FailInput, ResumeOptions, StartAttemptInput, SucceedInput } from './attempt-input.js';
export { type BackoffOptions, backoffDelay } from './backoff.js';
export { type OverflowPolicy, WRITER_DEFAULTS, type WriterOptions } from './batch-writer.js';
export {
  checkFunction,
  checkInteger,
  checkMilliseconds,
  checkToken,
  checkTrackerOptions,
  checkUrl,
  InvalidOptionError,
} from './options.js';
export {
  classifyFailure,
  outcomeOfStatus,
  type RetryHooks,
  type RetryOptions,
  RetryPolicy,
  type WriteFailure,
  type WriteOutcome,
} from './retry-policy.js';
export { eventKey, recordKey, type Sink, type SinkResult, TransientSinkError } from './sink.js';
export type { CoreLogger, TrackerStats } from './stats.js';
export { type EventFacts, type ToEventOptions, toEvent } from './to-event.js';
export { type AttemptHandle, createTracker, type Tracker, type TrackerCoreOptions } from './tracker.js';
