import type {
  AlertDataSource,
  CostTotals,
  ErrorCodeCounts,
  ProviderModelCounts,
  RangeTotals,
  TimeRange,
} from './data-source.js';
import { ABANDONED_ERROR_CODE } from './data-source.js';

/** One attempt as the in-memory source records it. */
export interface MemoryAttempt {
  at: Date | number;
  status: 'pending' | 'success' | 'failed';
  errorCode?: string | undefined;
  failureKind?: string | undefined;
  provider?: string | undefined;
  model?: string | undefined;
  durationMs?: number | undefined;
  /** The attempt's cost in USD (a success with a cost counts towards cost per success). */
  costUsd?: number | undefined;
}

interface Bucket {
  started: number;
  finished: number;
  failed: number;
  abandoned: number;
  durations: number[];
  pairs: Map<string, ProviderModelCounts>;
  codes: Map<string, number>;
  pending: number;
  priced: number;
  costUsd: number;
}

const MINUTE_MS = 60_000;

/** The `percentile_cont` of sorted values (linear interpolation), as Postgres computes it. */
export function percentileCont(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  const position = fraction * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

/**
 * An {@link AlertDataSource} in memory, at minute resolution: an attempt belongs to a range when
 * the start of its minute does. For the simulation (millions of attempts) and unit tests.
 *
 * @example
 * const source = new MemoryDataSource();
 * source.record({ at: now, status: 'failed', errorCode: 'PROVIDER_TIMEOUT' });
 */
export class MemoryDataSource implements AlertDataSource {
  private readonly buckets = new Map<number, Bucket>();

  /** Adds one attempt. */
  record(attempt: MemoryAttempt): void {
    const minute = Math.floor(new Date(attempt.at).getTime() / MINUTE_MS);
    let bucket = this.buckets.get(minute);
    if (!bucket) {
      bucket = {
        started: 0,
        finished: 0,
        failed: 0,
        abandoned: 0,
        durations: [],
        pairs: new Map(),
        codes: new Map(),
        pending: 0,
        priced: 0,
        costUsd: 0,
      };
      this.buckets.set(minute, bucket);
    }
    bucket.started++;
    if (attempt.status === 'pending') {
      bucket.pending++;
      return;
    }
    if (attempt.status === 'success' && attempt.costUsd !== undefined) {
      bucket.priced++;
      bucket.costUsd += attempt.costUsd;
    }
    bucket.finished++;
    if (attempt.durationMs !== undefined) bucket.durations.push(attempt.durationMs);
    const provider = attempt.provider ?? null;
    const model = attempt.model ?? null;
    const key = `${provider}\u0000${model}`;
    const pair = bucket.pairs.get(key) ?? { provider, model, finished: 0, failed: 0 };
    bucket.pairs.set(key, pair);
    pair.finished++;
    if (attempt.status !== 'failed') return;
    bucket.failed++;
    pair.failed++;
    if (attempt.errorCode === ABANDONED_ERROR_CODE || attempt.failureKind === 'abandoned') bucket.abandoned++;
    if (attempt.errorCode)
      bucket.codes.set(attempt.errorCode, (bucket.codes.get(attempt.errorCode) ?? 0) + 1);
  }

  private *inRange(range: TimeRange): Generator<Bucket> {
    const first = Math.ceil(range.from.getTime() / MINUTE_MS);
    const end = Math.ceil(range.to.getTime() / MINUTE_MS);
    for (let minute = first; minute < end; minute++) {
      const bucket = this.buckets.get(minute);
      if (bucket) yield bucket;
    }
  }

  async totals(range: TimeRange): Promise<RangeTotals> {
    const totals = { started: 0, finished: 0, failed: 0, abandoned: 0 };
    const durations: number[] = [];
    for (const bucket of this.inRange(range)) {
      totals.started += bucket.started;
      totals.finished += bucket.finished;
      totals.failed += bucket.failed;
      totals.abandoned += bucket.abandoned;
      for (const duration of bucket.durations) durations.push(duration);
    }
    return {
      ...totals,
      p95DurationMs: percentileCont(
        durations.sort((a, b) => a - b),
        0.95,
      ),
    };
  }

  async byProviderModel(range: TimeRange): Promise<ProviderModelCounts[]> {
    const merged = new Map<string, ProviderModelCounts>();
    for (const bucket of this.inRange(range)) {
      for (const [key, pair] of bucket.pairs) {
        const into = merged.get(key) ?? {
          provider: pair.provider,
          model: pair.model,
          finished: 0,
          failed: 0,
        };
        into.finished += pair.finished;
        into.failed += pair.failed;
        merged.set(key, into);
      }
    }
    return [...merged.values()];
  }

  async byErrorCode(range: TimeRange): Promise<ErrorCodeCounts[]> {
    const merged = new Map<string, number>();
    for (const bucket of this.inRange(range))
      for (const [code, failed] of bucket.codes) merged.set(code, (merged.get(code) ?? 0) + failed);
    return [...merged].map(([errorCode, failed]) => ({ errorCode, failed }));
  }

  async stuck(startedBefore: Date): Promise<number> {
    // The pending attempts of every minute before the cut-off (the map, not a walk from 1970).
    const end = Math.ceil(startedBefore.getTime() / MINUTE_MS);
    let stuck = 0;
    for (const [minute, bucket] of this.buckets) if (minute < end) stuck += bucket.pending;
    return stuck;
  }

  async costOfSuccesses(range: TimeRange): Promise<CostTotals> {
    const totals = { priced: 0, costUsd: 0 };
    for (const bucket of this.inRange(range)) {
      totals.priced += bucket.priced;
      totals.costUsd += bucket.costUsd;
    }
    return totals;
  }
}
