import type { AttemptStatus } from '../domain/index.js';
import {
  boolean,
  defineRow,
  integer,
  jsonb,
  nullable,
  type RowOf,
  text,
  textOf,
  timestamptz,
  uuid,
} from './row-shape.js';

/** A row of `trip_creation_attempts`, as the write path stores it (the table's column order). */
export const ATTEMPT_ROW = defineRow({
  id: uuid,
  /** Start time when known; else the finish time minus the duration, or the finish time. */
  created_at: timestamptz,
  user_id: nullable(uuid),
  anon_session_id: nullable(text),
  status: textOf<AttemptStatus>(),
  error_code: nullable(text),
  duration_ms: nullable(integer),
  trip_id: nullable(text),
  input_snapshot_json: nullable(jsonb),
  effective_defaults_json: nullable(jsonb),
  request_id: text,
  provider: nullable(text),
  model: nullable(text),
  /** Only set by an attempted event (a terminal event does not know the contract version). */
  prompt_contract_version: nullable(text),
  failure_kind: nullable(text),
  fingerprint: nullable(text),
  source: text,
  /** The app's create-trip flow, from the start; kept when the snapshot is scrubbed (0010). */
  flow: nullable(text),
});

/**
 * The merged effect of one batch's events on one attempt row: its columns, and what the merge
 * into a stored row needs besides (whether the start is known, when it finished).
 */
export const ATTEMPT_PATCH = ATTEMPT_ROW.extend({
  start_known: boolean,
  finished_at: nullable(timestamptz),
});

/** The merged effect of one batch's events on one attempt row (see {@link ATTEMPT_PATCH}). */
export type AttemptPatch = RowOf<typeof ATTEMPT_PATCH.columns>;

/** A patch as one row of {@link ATTEMPT_PATCH}'s columns, for the merge's `unnest`. */
export const patchRow = ATTEMPT_PATCH.encoder<AttemptPatch>({});
