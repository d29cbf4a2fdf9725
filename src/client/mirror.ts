import type { PropValue } from './catalog.js';
import type { ClientWindow } from './platform.js';
import type { ClientStats } from './stats.js';
import { randomUuidV4 } from './uuid.js';

/** Where funnel events are mirrored: `POST {endpoint}/v1/client-events` of `tripmeter serve`. */
export interface MirrorOptions {
  /** Base URL of the tripmeter server, e.g. `https://telemetry.example.com`. */
  endpoint: string;
  /** The public `site` key (origin-allowlisted, client events only). */
  siteKey: string;
  /** Flush when this many events wait (default 10). */
  batchSize?: number;
  /** Flush this long after the first waiting event (default 2000 ms). */
  flushAfterMs?: number;
  /**
   * Event names starting with one of these are mirrored (default `create_trip__` and
   * `create_trip_wizard__`); the server must accept them too (its `clientEventPrefixes`).
   */
  prefixes?: readonly string[];
}

/** One mirrored event as it appears in the request body. */
export interface MirrorEvent {
  /** A random UUID the mirror gives each event, so the server drops a resent copy. */
  id?: string;
  name: string;
  anon_session_id: string;
  occurred_at: string;
  props: Record<string, PropValue>;
}

/** The batching mirror used by the client. */
export interface Mirror {
  push(event: MirrorEvent): void;
  flush(): void;
  clear(): void;
}

/** Body content type: a CORS-safelisted type, so neither beacon nor fetch needs a preflight. */
export const MIRROR_CONTENT_TYPE = 'text/plain;charset=UTF-8';

/**
 * Creates the funnel mirror: batches events and sends `{ site_key, events }` as JSON with
 * `navigator.sendBeacon` (a `Blob` typed {@link MIRROR_CONTENT_TYPE}), falling back to
 * `fetch(…, { keepalive: true })`. Flushes on `batchSize` events, `flushAfterMs` after the first,
 * and when the page is hidden (`visibilitychange`) or left (`pagehide`). No retries: losses
 * are counted in `stats.mirrorFailed`. Each event gets an `id` (a random UUID) when pushed, so a
 * batch delivered twice is stored once.
 */
export function createMirror(win: ClientWindow, options: MirrorOptions, stats: ClientStats): Mirror {
  const url = `${options.endpoint.replace(/\/+$/, '')}/v1/client-events`;
  const batch: MirrorEvent[] = [];
  let timer: unknown;

  const flush = () => {
    if (timer !== undefined) win.clearTimeout(timer);
    timer = undefined;
    const count = batch.length;
    if (!count) return;
    const body = JSON.stringify({ site_key: options.siteKey, events: batch.splice(0) });
    const done = (ok: unknown) => {
      if (ok) stats.mirrored += count;
      else stats.mirrorFailed += count;
    };
    try {
      if (win.navigator?.sendBeacon?.(url, new Blob([body], { type: MIRROR_CONTENT_TYPE }))) return done(1);
      const init: RequestInit = { method: 'POST', body, keepalive: true, credentials: 'omit' };
      init.headers = { 'content-type': MIRROR_CONTENT_TYPE };
      win.fetch!(url, init).then(
        (res) => done(res.ok),
        () => done(0),
      );
    } catch {
      done(0);
    }
  };

  win.document?.addEventListener('visibilitychange', () => {
    if (win.document?.visibilityState === 'hidden') flush();
  });
  win.addEventListener?.('pagehide', flush);

  return {
    push(event) {
      if (batch.push({ id: randomUuidV4(win.crypto), ...event }) >= (options.batchSize ?? 10)) flush();
      else if (timer === undefined) timer = win.setTimeout(flush, options.flushAfterMs ?? 2000);
    },
    flush,
    clear() {
      batch.length = 0;
      if (timer !== undefined) win.clearTimeout(timer);
      timer = undefined;
    },
  };
}
