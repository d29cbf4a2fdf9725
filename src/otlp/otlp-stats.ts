import { DroppedAttributeTally } from './dropped-attributes.js';
import type { MappedExport } from './map-spans.js';

/**
 * Process-wide counters of `POST /v1/traces`, for `/metrics`. Spans are counted once their export
 * is decoded: `received` = `calls` + `ignored` + `rejected` (+ calls dropped by the `drop` setting,
 * counted as ignored). `stored` counts the calls of exports whose write committed (a redelivered
 * span counts again; the database keeps it once).
 */
export class OtlpStats {
  /** Export requests answered 200. */
  exports = 0;
  /** Spans in decoded exports. */
  received = 0;
  /** GenAI call spans whose export was committed. */
  stored = 0;
  /** Spans that are not provider calls, or calls without a request id under `drop`. */
  ignored = 0;
  /** Spans refused one by one (`partial_success.rejected_spans`). */
  rejected = 0;
  /** Exports refused whole (400, 413, 415). */
  refusedExports = 0;
  /** Dropped attributes by key, bounded (see {@link DroppedAttributeTally}). */
  readonly dropped = new DroppedAttributeTally();

  /** Counts a mapped export (before its write). */
  countMapped(spans: number, mapped: MappedExport): void {
    this.received += spans;
    this.ignored += mapped.ignoredSpans + mapped.unattachedDropped;
    this.rejected += mapped.rejected.spans;
    this.dropped.addAll(mapped.droppedAttributeCounts);
  }
}
