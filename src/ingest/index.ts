/**
 * HTTP ingest of server events (`POST /v1/events`): the body reader with its limits, the event
 * schema and mapping, and the group-commit writer that answers only after the commit.
 */
export {
  CONTENT_KEYS,
  type IngestEvent,
  type IngestPhase,
  type IngestProviderCall,
  ingestEventSchema,
  ingestPhaseSchema,
  ingestProviderCallSchema,
  MAX_EVENTS_PER_REQUEST,
} from './event-schema.js';
export {
  type CommitResult,
  type GroupCommitOptions,
  GroupCommitWriter,
  type IngestStats,
  StorageUnavailableError,
} from './group-commit.js';
export { INGEST_MAX_AGE_MS, INGEST_MAX_SKEW_MS, outsideIngestWindow } from './ingest-window.js';
export {
  type EventProblem,
  type ParsedIngestBody,
  type ParseIngestOptions,
  parseIngestBody,
} from './parse-events.js';
export { readIngestBody } from './read-body.js';
export { toPhaseRecord, toProviderCallRecord } from './to-anatomy-record.js';
export { toTelemetryEvent } from './to-telemetry-event.js';
