/** Counters of a tracker; `stats()` returns a copy. */
export interface TrackerStats {
  /** Items waiting in the queue now. */
  queued: number;
  /** Events newly stored. */
  written: number;
  /** Redeliveries ignored by idempotency. */
  duplicates: number;
  /** Batch writes retried after a transient failure. */
  retried: number;
  /** Records refused: invalid tracker input, or refused by the database (isolated by splitting). */
  rejected: number;
  /** Records lost: queue overflow, or still queued when `shutdown` timed out. */
  dropped: number;
  /** Input snapshot keys dropped by the allowlist. */
  unknownKeysDropped: number;
  /** Batches written. */
  batches: number;
}

/** Fresh zeroed counters. */
export function emptyStats(): TrackerStats {
  return {
    queued: 0,
    written: 0,
    duplicates: 0,
    retried: 0,
    rejected: 0,
    dropped: 0,
    unknownKeysDropped: 0,
    batches: 0,
  };
}

/** The minimal logger the platform-neutral core needs (pino and console-like loggers fit). */
export interface CoreLogger {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * The host's logger, made safe to call: a logger that throws must not cost a batch (the flush
 * path logs while it prepares and retries), so its errors are swallowed.
 */
export function safeLogger(logger: CoreLogger): CoreLogger {
  const guarded =
    (level: keyof CoreLogger) =>
    (obj: object, msg?: string): void => {
      try {
        logger[level](obj, msg);
      } catch {
        // the host's logger failed; the tracker goes on
      }
    };
  return { warn: guarded('warn'), error: guarded('error') };
}

/** Logs a given reason only the first time it is seen, so a bad caller cannot flood the logs. */
export class OnceLogger {
  private readonly seen = new Set<string>();
  constructor(private readonly logger: CoreLogger) {}

  warn(reason: string, obj: object, msg: string): void {
    if (this.seen.has(reason) || this.seen.size > 1000) return;
    this.seen.add(reason);
    this.logger.warn({ reason, ...obj }, msg);
  }
}
