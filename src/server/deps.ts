import type { Config } from '../config/index.js';
import type { GroupCommitWriter } from '../ingest/index.js';
import type { Scheduler } from '../jobs/index.js';
import type { Logger } from '../logging/index.js';
import type { OtlpStats } from '../otlp/index.js';
import type { Database } from '../storage/index.js';
import type { Histogram } from './prometheus/index.js';
import type { RateLimits } from './rate-limit/index.js';

/** What the HTTP app needs; passed in, so tests build it with their own database and clock. */
export interface AppDeps {
  config: Config;
  database: Database;
  logger: Logger;
  /** The clock (injectable). */
  now: () => Date;
  /** Writes `POST /v1/events` submissions; without it that route answers 503. */
  ingestWriter?: GroupCommitWriter;
  /** Rate limits per key and address; `createApp` makes them from the config when absent. */
  rateLimits?: RateLimits;
  /** The jobs of `serve`, whose runs and failures `/metrics` reports. */
  scheduler?: Scheduler;
  /** Durations of ingest database writes, for `/metrics` (see `TimedSink`). */
  dbLatency?: Histogram;
  /** Counters of `POST /v1/traces`, for `/metrics`; `createApp` makes them when absent. */
  otlpStats?: OtlpStats;
}
