import type { IngestStats } from '../../ingest/index.js';
import type { JobStats } from '../../jobs/index.js';
import type { OtlpStats } from '../../otlp/index.js';
import type { Histogram } from './histogram.js';

/** What `/metrics` reports; every part is optional (absent parts are left out). */
export interface MetricsSources {
  ingest?: { stats: IngestStats; pending: number };
  dbLatency?: Histogram;
  jobs?: ReadonlyMap<string, JobStats>;
  otlp?: OtlpStats;
}

const escapeLabel = (value: string) =>
  value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');

/**
 * Renders the Prometheus text exposition format (version 0.0.4): HELP and TYPE lines, then
 * samples. Hand-written: the service needs a few counters, a gauge and one histogram.
 */
export function renderPrometheus(sources: MetricsSources): string {
  const lines: string[] = [];
  const metric = (name: string, type: string, help: string, samples: [string, number][]) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
  };
  const { ingest, dbLatency, jobs, otlp } = sources;
  if (ingest) {
    const s = ingest.stats;
    metric('tripmeter_ingest_requests_total', 'counter', 'Ingest submissions received.', [
      ['', s.submissions],
    ]);
    metric('tripmeter_ingested_events_total', 'counter', 'Events newly stored by HTTP ingest.', [
      ['', s.accepted],
    ]);
    metric('tripmeter_ingest_duplicate_events_total', 'counter', 'Resent events already stored.', [
      ['', s.duplicates],
    ]);
    metric('tripmeter_writer_queue_depth', 'gauge', 'Ingest submissions queued or being written.', [
      ['', ingest.pending],
    ]);
    metric('tripmeter_writer_batches_total', 'counter', 'Database write transactions committed.', [
      ['', s.batches],
    ]);
    metric(
      'tripmeter_writer_retries_total',
      'counter',
      'Database writes retried after a transient failure.',
      [['', s.retries]],
    );
    metric('tripmeter_ingest_rejected_total', 'counter', 'Submissions the database refused.', [
      ['', s.rejected],
    ]);
    metric(
      'tripmeter_ingest_dropped_total',
      'counter',
      'Submissions refused while storage was unavailable (client may retry).',
      [['', s.dropped]],
    );
  }
  if (dbLatency) {
    const h = dbLatency.snapshot();
    let cumulative = 0;
    const samples: [string, number][] = h.buckets.map((le, i) => {
      cumulative += h.counts[i]!;
      return [`_bucket{le="${le}"}`, cumulative];
    });
    samples.push(['_bucket{le="+Inf"}', h.count], ['_sum', h.sum], ['_count', h.count]);
    lines.push(
      '# HELP tripmeter_db_write_duration_seconds Duration of ingest database writes.',
      '# TYPE tripmeter_db_write_duration_seconds histogram',
      ...samples.map(([suffix, value]) => `tripmeter_db_write_duration_seconds${suffix} ${value}`),
    );
  }
  if (jobs) {
    const entries = [...jobs.entries()];
    metric(
      'tripmeter_job_runs_total',
      'counter',
      'Successful runs of each background job.',
      entries.map(([name, s]) => [`{job="${escapeLabel(name)}"}`, s.runs]),
    );
    metric(
      'tripmeter_job_failures_total',
      'counter',
      'Failed runs of each background job.',
      entries.map(([name, s]) => [`{job="${escapeLabel(name)}"}`, s.failures]),
    );
    metric(
      'tripmeter_job_skipped_total',
      'counter',
      'Scheduled periods of each job that another instance had already claimed.',
      entries.map(([name, s]) => [`{job="${escapeLabel(name)}"}`, s.skipped]),
    );
  }
  if (otlp) {
    metric('tripmeter_otlp_exports_total', 'counter', 'OTLP trace exports accepted (POST /v1/traces).', [
      ['', otlp.exports],
    ]);
    metric('tripmeter_otlp_refused_exports_total', 'counter', 'OTLP exports refused whole (400, 413).', [
      ['', otlp.refusedExports],
    ]);
    metric('tripmeter_otlp_spans_total', 'counter', 'OTLP spans by outcome.', [
      ['{outcome="received"}', otlp.received],
      ['{outcome="stored"}', otlp.stored],
      ['{outcome="ignored"}', otlp.ignored],
      ['{outcome="rejected"}', otlp.rejected],
    ]);
    metric(
      'tripmeter_otlp_dropped_attributes_total',
      'counter',
      'Span attributes dropped before storage (not on the allowlist), by key.',
      [...otlp.dropped.counts()].map(([key, n]) => [`{key="${escapeLabel(key)}"}`, n]),
    );
  }
  return `${lines.join('\n')}\n`;
}
