import type { TelemetryRecord } from '../../domain/index.js';
import type { Sink, SinkResult } from '../../tracker/index.js';
import type { Histogram } from './histogram.js';

/**
 * Wraps a sink so every write (success or failure) records its duration in `histogram`: the
 * database latency of `/metrics`.
 */
export class TimedSink implements Sink {
  readonly reportsInserted?: boolean;

  constructor(
    private readonly sink: Sink,
    private readonly histogram: Histogram,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.reportsInserted = sink.reportsInserted;
  }

  async write(events: TelemetryRecord[]): Promise<SinkResult> {
    const started = this.now();
    try {
      return await this.sink.write(events);
    } finally {
      this.histogram.observe((this.now() - started) / 1000);
    }
  }

  close(): Promise<void> {
    return this.sink.close?.() ?? Promise.resolve();
  }
}
