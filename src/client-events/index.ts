/**
 * Client events: the server side of the `tripmeter/client` funnel mirror. Reads and checks a
 * `POST /v1/client-events` batch (site key, origin, catalog names, bounded and redacted props)
 * and writes it idempotently to `trip_creation_client_events`.
 */

export { authorizeBeforeBody, authorizeSiteKey, type SiteKeyRequest } from './authorize-site-key.js';
export { clientBatchSchema } from './batch-schema.js';
export * from './limits.js';
export { type ClientEventRow, type ParsedClientBatch, parseClientBatch } from './parse-batch.js';
export { checkProps, type PropsResult } from './props.js';
export { readClientBody } from './read-client-body.js';
export { isSiteOrigin, isSiteOriginCached, requestOrigin, SITE_ORIGIN_TTL_MS } from './site-origin.js';
export { type ClientEventsWriteResult, writeClientEvents } from './write-client-events.js';
