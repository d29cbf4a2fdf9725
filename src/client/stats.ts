/**
 * Counters of what the client did with tracked events. The client never throws into the app;
 * everything it refuses or loses is counted here instead.
 */
export interface ClientStats {
  /** Events handed to `window.umami.track`. */
  sent: number;
  /** Events waiting for `window.umami` to appear (current queue length). */
  queued: number;
  /** Events not sent to Umami because analytics consent is missing. */
  blocked: number;
  /** Payload keys or values dropped: not string/number/boolean/null, strings over 500 chars, over 50 keys. */
  dropped: number;
  /** Events refused because their name breaks the event grammar (untyped callers). */
  invalid: number;
  /** Oldest queued events dropped because the queue was full. */
  overflow: number;
  /** Calls to `window.umami.track` that threw. */
  failed: number;
  /** Funnel events handed to `sendBeacon` or `fetch` for the mirror. */
  mirrored: number;
  /** Funnel events whose mirror delivery failed (no transport, network error, non-2xx). */
  mirrorFailed: number;
  /** `identify` calls that linked nothing: no server configured, no consent, network error, non-2xx. */
  identifyFailed: number;
}

/** A zeroed {@link ClientStats}. */
export function createStats(): ClientStats {
  return {
    sent: 0,
    queued: 0,
    blocked: 0,
    dropped: 0,
    invalid: 0,
    overflow: 0,
    failed: 0,
    mirrored: 0,
    mirrorFailed: 0,
    identifyFailed: 0,
  };
}
