/** Most events in one `POST /v1/client-events` request. */
export const MAX_CLIENT_EVENTS = 50;
/** Largest request body (64 KB); a larger one is refused with 413. */
export const MAX_CLIENT_BODY_BYTES = 64 * 1024;
/** Most keys in one event's props (Umami's limit, as in the browser SDK). */
export const MAX_PROP_KEYS = 50;
/** Longest string prop value, in code points, after redaction (Umami's limit). */
export const MAX_PROP_STRING_LENGTH = 500;
/** The ingest window of `occurred_at` is the server events' one (7 days back, 5 minutes ahead). */
export {
  INGEST_MAX_AGE_MS as CLIENT_EVENT_MAX_AGE_MS,
  INGEST_MAX_SKEW_MS as CLIENT_EVENT_MAX_SKEW_MS,
} from '../ingest/index.js';
