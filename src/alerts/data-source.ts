/** A half-open time range [from, to) over `created_at` (the time the app observed the attempt). */
export interface TimeRange {
  from: Date;
  to: Date;
}

/** Totals of the attempts started in a range. */
export interface RangeTotals {
  /** Every attempt started, pending ones included (traffic). */
  started: number;
  /** Attempts with an outcome (success or failed): the denominator of failure rates. */
  finished: number;
  failed: number;
  /** Failed as abandoned (`ATTEMPT_ABANDONED` or failure kind `abandoned`). */
  abandoned: number;
  /** 95th percentile of `duration_ms` of finished attempts; null without any. */
  p95DurationMs: number | null;
}

/** Finished and failed attempts of one provider/model pair. */
export interface ProviderModelCounts {
  provider: string | null;
  model: string | null;
  finished: number;
  failed: number;
}

/** Failed attempts with one error code. */
export interface ErrorCodeCounts {
  errorCode: string;
  failed: number;
}

/** The cost of the successful, fully priced attempts started in a range. */
export interface CostTotals {
  /** Successful attempts whose every call had a price (`cost_usd` set, no unpriced call). */
  priced: number;
  /** Their summed cost in USD. */
  costUsd: number;
}

/**
 * Where the detector reads attempts from. The SQL implementation reads the raw
 * `trip_creation_attempts` table (one query per file); the in-memory one serves the simulation
 * and unit tests. Implementations must not throw for an empty range: they return zeros.
 */
export interface AlertDataSource {
  totals(range: TimeRange): Promise<RangeTotals>;
  byProviderModel(range: TimeRange): Promise<ProviderModelCounts[]>;
  byErrorCode(range: TimeRange): Promise<ErrorCodeCounts[]>;
  /** Attempts still pending that started before `startedBefore` (stuck). */
  stuck(startedBefore: Date): Promise<number>;
  /** Cost of the successful priced attempts of the range (their totals, `cost_usd`). */
  costOfSuccesses(range: TimeRange): Promise<CostTotals>;
}

/** The error code of attempts the reconciler closed because their process died. */
export const ABANDONED_ERROR_CODE = 'ATTEMPT_ABANDONED';
