/**
 * Dashboards and queries (phase 4): one query per file over the product schema, each filtered by
 * a time range and optionally provider, model, prompt contract version and source. Short
 * ranges read raw rows (exact percentiles); long ranges read the daily rollups for whole UTC
 * days, the hourly rollups for the whole hours around them and raw rows for partial hours
 * (percentiles from the duration histograms), so answers survive the purge of raw rows. Rollup
 * answers are cached per day in the process, keyed by the day's rollup generation.
 */
export type { AttemptGroup, Percentiles } from './collect-attempts.js';
export { type CallModelRow, type Calls, getCalls, NO_CALLS } from './get-calls.js';
export {
  COST_REASONS,
  type Cost,
  type CostRow,
  getCost,
  type PerSuccessfulTrip,
  type TokenTotals,
} from './get-cost.js';
export { type FailureRow, type Failures, getFailures } from './get-failures.js';
export { type Funnel, type FunnelStep, getFunnel } from './get-funnel.js';
export { getModels, type ModelRow } from './get-models.js';
export { getPhases, KNOWN_PHASES, type PhaseRow, type Phases } from './get-phases.js';
export { getQueue, QUEUE_REASONS, type QueueFunnel, type QueueStep } from './get-queue.js';
export { getRetries, type Retries } from './get-retries.js';
export type { SessionStats } from './get-session-stats.js';
export { getStuck, type Stuck } from './get-stuck.js';
export { getSummary, type Summary } from './get-summary.js';
export {
  type Bucket,
  defaultBucket,
  getTimeseries,
  type Timeseries,
  type TimeseriesPoint,
} from './get-timeseries.js';
export { getVersions, type VersionRow } from './get-versions.js';
export { type MetricsFilter, type MetricsQuery, ratio } from './metrics-query.js';
export { PURGED_BY_RETENTION, rawRowsPurged, type Unavailable } from './purged-range.js';
export { planRange, type RangePlan, readCoverage, SHORT_RANGE_MS } from './range-plan.js';
