export {
  bucketIndex,
  bucketIndexSql,
  emptyHistogram,
  HISTOGRAM_BUCKETS,
  type Histogram,
  histogramOf,
  histogramSumSql,
  mergeHistograms,
  percentileOf,
} from './histogram.js';
export { CTA_EVENT_NAME, CTA_EVENT_NAMES, FUNNEL_WINDOW_MINUTES } from './sources.js';
export {
  finalizeRollups,
  type RollupResult,
  rebuildRollups,
  type UpdateRollupsOptions,
  updateRollups,
} from './update-rollups.js';
