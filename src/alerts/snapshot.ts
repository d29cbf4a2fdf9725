import type { AlertsConfig } from '../config/index.js';
import { DEFAULT_GENERATION_TIMEOUT_MS } from '../config/index.js';
import type {
  AlertDataSource,
  CostTotals,
  ErrorCodeCounts,
  ProviderModelCounts,
  RangeTotals,
  TimeRange,
} from './data-source.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const WEEK_MS = 7 * 24 * HOUR_MS;

/** The attempts of one range, with the per-scope breakdowns. */
export interface RangeStats {
  range: TimeRange;
  minutes: number;
  totals: RangeTotals;
  pairs: ProviderModelCounts[];
  codes: ErrorCodeCounts[];
}

/** Where the baseline came from. */
export type BaselineKind = 'same_hour_of_week' | 'trailing' | 'none';

/** Everything the rules read at one evaluation. */
export interface Snapshot {
  at: Date;
  /** The main sliding window first, then the shorter ones, longest first. */
  windows: RangeStats[];
  /** The abandoned rule's longer window (totals only). */
  abandoned: RangeTotals;
  baselineKind: BaselineKind;
  baseline: RangeStats;
  /** Attempts pending longer than `olderThanMs` at `at`. */
  stuck: { count: number; olderThanMs: number };
  /** Cost of successful priced attempts: the cost window and the hours before it. */
  cost: { window: CostTotals; baseline: CostTotals };
}

async function rangeStats(source: AlertDataSource, range: TimeRange): Promise<RangeStats> {
  const [totals, pairs, codes] = await Promise.all([
    source.totals(range),
    source.byProviderModel(range),
    source.byErrorCode(range),
  ]);
  return { range, minutes: (range.to.getTime() - range.from.getTime()) / MINUTE_MS, totals, pairs, codes };
}

const before = (at: Date, ms: number) => new Date(at.getTime() - ms);

/**
 * Reads the windows and the baseline for an evaluation at `at`. The baseline is the same hour of
 * the week 7 days earlier (the hour centred on `at − 7 d`) when it holds `baseline.minAttempts`
 * finished attempts, else the trailing `baseline.fallbackHours` before the window.
 */
export async function collectSnapshot(
  source: AlertDataSource,
  at: Date,
  config: AlertsConfig,
  generationTimeoutMs = DEFAULT_GENERATION_TIMEOUT_MS,
): Promise<Snapshot> {
  const olderThanMs = config.stuckAttempts.timeoutFactor * generationTimeoutMs;
  const costWindow = { from: before(at, config.costPerSuccess.windowMinutes * MINUTE_MS), to: at };
  const costBaseline = {
    from: before(costWindow.from, config.costPerSuccess.baselineHours * HOUR_MS),
    to: costWindow.from,
  };
  const [stuck, costNow, costBefore] = await Promise.all([
    source.stuck(before(at, olderThanMs)),
    source.costOfSuccesses(costWindow),
    source.costOfSuccesses(costBaseline),
  ]);
  const generation = {
    stuck: { count: stuck, olderThanMs },
    cost: { window: costNow, baseline: costBefore },
  };
  const windowMinutes = [
    config.windowMinutes,
    ...[...new Set(config.shortWindowsMinutes)].filter((m) => m < config.windowMinutes).sort((a, b) => b - a),
  ];
  const windows = await Promise.all(
    windowMinutes.map((m) => rangeStats(source, { from: before(at, m * MINUTE_MS), to: at })),
  );
  const abandoned = await source.totals({
    from: before(at, config.abandoned.windowMinutes * MINUTE_MS),
    to: at,
  });

  const weekAgo = at.getTime() - WEEK_MS;
  const slot = { from: new Date(weekAgo - HOUR_MS / 2), to: new Date(weekAgo + HOUR_MS / 2) };
  const slotTotals = await source.totals(slot);
  if (slotTotals.finished >= config.baseline.minAttempts) {
    const [pairs, codes] = await Promise.all([source.byProviderModel(slot), source.byErrorCode(slot)]);
    return {
      at,
      windows,
      abandoned,
      baselineKind: 'same_hour_of_week',
      baseline: { range: slot, minutes: 60, totals: slotTotals, pairs, codes },
      ...generation,
    };
  }
  const trailing = {
    from: before(at, config.baseline.fallbackHours * HOUR_MS),
    to: before(at, config.windowMinutes * MINUTE_MS),
  };
  const baseline = await rangeStats(source, trailing);
  return {
    at,
    windows,
    abandoned,
    baselineKind: baseline.totals.finished > 0 ? 'trailing' : 'none',
    baseline,
    ...generation,
  };
}
