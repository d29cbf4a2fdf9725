export {
  CALLS_HIST_CELLS,
  cellSumSql,
  FAMILIES,
  type FamilyShape,
  familyRowsSql,
  type GenerationFamily,
} from './generation-rows.js';
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
export { GENERATION_ROLLUP_TABLES } from './recompute-generation.js';
export { CTA_EVENT_NAME, CTA_EVENT_NAMES, FUNNEL_WINDOW_MINUTES } from './sources.js';
export {
  finalizeRollups,
  type RollupResult,
  rebuildRollups,
  recomputeRollups,
  type UpdateRollupsOptions,
  updateRollups,
} from './update-rollups.js';
