/**
 * Client events: the server side of the `tripmeter/client` funnel mirror. Reads and checks a
 * `POST /v1/client-events` batch (site key, origin, catalog names and prefixes, bounded and
 * redacted props), keeps its valid events, and writes them idempotently to
 * `trip_creation_client_events`.
 */

export { authorizeBeforeBody, authorizeSiteKey, type SiteKeyRequest } from './authorize-site-key.js';
export { clientBatchAnswerSchema, clientBatchSchema } from './batch-schema.js';
export {
  type ClientEventCatalog,
  clientEventCatalog,
  DEFAULT_CLIENT_CATALOG,
  MAX_EVENT_NAME_LENGTH,
  propBoundsOf,
} from './event-catalog.js';
export * from './limits.js';
export {
  type ClientEventRow,
  type ParsedClientBatch,
  parseClientBatch,
  type RejectedClientEvent,
} from './parse-batch.js';
export {
  checkProps,
  EXTENSION_PROP_BOUNDS,
  type PropBounds,
  type PropsResult,
  SDK_PROP_BOUNDS,
} from './props.js';
export { readClientBody } from './read-client-body.js';
export { isSiteOrigin, isSiteOriginCached, requestOrigin, SITE_ORIGIN_TTL_MS } from './site-origin.js';
export { type ClientEventsWriteResult, writeClientEvents } from './write-client-events.js';
