/**
 * `tripmeter/http`: the tracker for edge runtimes (Deno, Netlify Edge, Cloudflare Workers) and
 * any platform with `fetch`: the same API as `createTripmeter`, writing to a `tripmeter serve`
 * over `POST /v1/events`. Nothing here imports Node or a database driver.
 */
import type {
  CoreLogger,
  FailInput,
  ProviderCallInput,
  ResumeOptions,
  StartAttemptInput,
  SucceedInput,
  TrackerStats,
} from '../tracker/index.js';
import {
  type AttemptHandle,
  checkFunction,
  checkMilliseconds,
  checkToken,
  checkUrl,
  createTracker,
  type Tracker,
  type TrackerCoreOptions,
} from '../tracker/index.js';
import { HttpSink, type HttpSinkOptions } from './http-sink.js';

export { InvalidOptionError, TransientSinkError } from '../tracker/index.js';
export { HttpSink, HttpSinkError, type HttpSinkOptions } from './http-sink.js';
export {
  type HttpIdentifyOptions,
  HttpLinkError,
  type HttpLinkResult,
  linkIdentity,
} from './link-identity.js';
export type {
  AttemptHandle,
  CoreLogger,
  FailInput,
  ProviderCallInput,
  ResumeOptions,
  StartAttemptInput,
  SucceedInput,
  Tracker,
  TrackerStats,
};

/** Events per request by default: well under `serve`'s 256 KB body limit. */
export const HTTP_BATCH_SIZE = 100;

/** Options of {@link createHttpTripmeter}: where to send, and the tracker's own settings. */
export interface HttpTripmeterOptions
  extends Omit<TrackerCoreOptions, 'sink' | 'onShutdown'>,
    Omit<HttpSinkOptions, 'now'> {}

/**
 * Creates a tracker that sends to a `tripmeter serve`. Calls only enqueue; batches (100 events by
 * default, under the 256 KB body limit) are sent on size, on the interval, or on `flush()`, which
 * an edge function should hand to `waitUntil` before it returns.
 *
 * @example
 * const tripmeter = createHttpTripmeter({ endpoint: 'https://telemetry.example.com', key: Deno.env.get('TRIPMETER_KEY')! });
 * const attempt = tripmeter.startAttempt({ anonSessionId, input: body });
 * // … later, maybe in another process: tripmeter.resumeAttempt(attempt.requestId).succeed({ tripId });
 * context.waitUntil(tripmeter.flush());
 *
 * Throws `InvalidOptionError` (code `INVALID_OPTION`, `.option` naming it) for an option that can
 * never work: an endpoint that is not an absolute http(s) URL, an empty key, a batch size of 0 …;
 * sent anyway, such a batch would be retried as if the network were down, for ever.
 */
export function createHttpTripmeter(options: HttpTripmeterOptions): Tracker {
  const { endpoint, key, fetch, timeoutMs, ...tracker } = options;
  checkUrl('endpoint', endpoint, ['http:', 'https:']);
  checkToken('key', key);
  checkFunction('fetch', fetch);
  checkMilliseconds('timeoutMs', timeoutMs, 1);
  const sink = new HttpSink({ endpoint, key, fetch, timeoutMs, now: tracker.now });
  return createTracker({ batchSize: HTTP_BATCH_SIZE, ...tracker, sink });
}
