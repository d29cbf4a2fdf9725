import type { ColumnType, Generated } from 'kysely';

/** A JSON value as stored in a `jsonb` column. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** `trip_creation_attempts`: one row per create attempt (the plan's columns plus ours). */
export interface AttemptsTable {
  id: string;
  created_at: Timestamp;
  user_id: string | null;
  anon_session_id: string | null;
  status: 'pending' | 'success' | 'failed';
  error_code: string | null;
  duration_ms: number | null;
  trip_id: string | null;
  input_snapshot_json: Json | null;
  effective_defaults_json: Json | null;
  request_id: string;
  provider: string | null;
  model: string | null;
  prompt_contract_version: Generated<string>;
  failure_kind: string | null;
  fingerprint: string | null;
  source: Generated<string>;
  /** The app's create-trip flow (0010); never scrubbed by retention. */
  flow: string | null;
  /** Totals over the attempt's provider calls (0011), kept current as calls arrive. */
  call_count: number | null;
  input_tokens: Numeric | null;
  output_tokens: Numeric | null;
  cached_input_tokens: Numeric | null;
  reasoning_tokens: Numeric | null;
  /** Sum of the priced calls' cost in USD; NULL when none is priced. */
  cost_usd: Numeric | null;
  /** Calls whose model had no price (their cost is NULL, never 0). */
  unpriced_calls: number | null;
}

/**
 * A `numeric` or `bigint` column as the drivers return it: a JS number on both engines (storage
 * parses int8 and numeric into numbers, `NUMERIC_TYPE_OIDS`), written as number or decimal string.
 * A number holds 15–17 significant digits, so a cost read this way is exact to the pico-dollar
 * below $1,000 only; a figure that must be exact (a sum of costs) is computed in SQL and read as
 * text (`sum(cost_usd)::text`), see docs/generation-metrics.md. (`bigint[]` is the exception: the
 * PostgreSQL driver returns its elements as strings; cast arrays to `integer[]` or `float8[]`.)
 */
export type Numeric = ColumnType<number, number | string, number | string>;

/** `trip_creation_provider_calls` (0011): one row per call an attempt made to an AI provider. */
export interface ProviderCallsTable {
  id: string;
  /** When the call started. */
  created_at: Timestamp;
  request_id: string;
  /** The call's order in its attempt (0, 1, …); idempotency key with `request_id`. */
  call_index: number;
  user_id: string | null;
  anon_session_id: string | null;
  provider: string;
  /** The model requested. */
  model: string;
  /** The model that answered (a router may pick another). */
  response_model: string | null;
  status: 'success' | 'failed';
  error_code: string | null;
  failure_kind: string | null;
  http_status: number | null;
  duration_ms: number | null;
  ttft_ms: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cached_input_tokens: number | null;
  reasoning_tokens: number | null;
  finish_reason: string | null;
  /** Why this call was made after another: `timeout`, `rate_limited`, `parse_failed`, `fallback`, … */
  retry_reason: string | null;
  /** Computed at write time from `model_prices`; NULL when unpriced. */
  cost_usd: Numeric | null;
  price_version: string | null;
  prompt_contract_version: string | null;
  flow: string | null;
  source: Generated<string>;
}

/** `trip_creation_attempt_phases` (0011): one named phase of an attempt. */
export interface AttemptPhasesTable {
  id: string;
  /** When the phase started. */
  created_at: Timestamp;
  request_id: string;
  /** snake_case: `queue_wait`, `provider_call`, `parse`, `normalize`, `persist` or app-defined. */
  phase: string;
  duration_ms: number;
  user_id: string | null;
  anon_session_id: string | null;
  source: Generated<string>;
}

/** `model_prices` (0011): USD per million tokens, by provider/model, valid from a day. */
export interface ModelPricesTable {
  provider: string;
  model: string;
  valid_from: ColumnType<string, string, string>;
  input_per_mtok: Numeric;
  output_per_mtok: Numeric;
  cached_input_per_mtok: Numeric | null;
  reasoning_per_mtok: Numeric | null;
  version: string;
  updated_at: Generated<Timestamp>;
}

/** `trip_creation_events`: attempted / succeeded / failed events. */
export interface EventsTable {
  id: string;
  created_at: Timestamp;
  event_type: 'create_trip_attempted' | 'create_trip_succeeded' | 'create_trip_failed';
  trip_id: string | null;
  user_id: string | null;
  anon_session_id: string | null;
  request_id: string | null;
  prompt_contract_version: Generated<string>;
  payload_json: Json | null;
}

/** `trip_creation_client_events`: funnel events mirrored by `tripmeter/client` (see 0004_client_events.sql). */
export interface ClientEventsTable {
  /** The client's event id when it sent one (resends dedupe on it), else a server UUIDv7. */
  id: string;
  /** When the browser observed the event (`occurred_at`). */
  created_at: Timestamp;
  anon_session_id: string | null;
  user_id: string | null;
  /** A catalog event name, e.g. `create_trip__cta--generate`. */
  name: string;
  /** Bounded, redacted props (string/number/boolean/null values). */
  props: Json | null;
}

/** `tripmeter_migrations`: what `migrate` has applied. */
export interface MigrationsTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: Timestamp;
}

/** `api_keys`: scoped API keys; only the SHA-256 hash of a key is stored, never the key. */
export interface ApiKeysTable {
  id: string;
  scope: 'ingest' | 'site' | 'admin';
  name: string | null;
  /** The first 12 characters of the key (e.g. `tm_ingest_ab`), shown by `tripmeter keys list`. */
  key_prefix: string;
  /** Hex SHA-256 of the full key. */
  key_hash: string;
  /** Allowed browser origins of a site key (`https://host[:port]`); empty for other scopes. */
  origins: Generated<string[]>;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** `fingerprint_salts`: one random 32-byte salt per UTC day, deleted after 48 hours. */
export interface FingerprintSaltsTable {
  day: ColumnType<string, string, string>;
  salt: Uint8Array;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** `attempt_rollups_hourly`: hourly attempt aggregates (no identifiers; kept forever). */
export interface AttemptRollupsHourlyTable {
  bucket: Timestamp;
  status: string;
  error_code: string;
  failure_kind: string;
  provider: string;
  model: string;
  prompt_contract_version: string;
  source: string;
  /** The app's create-trip flow, '' when absent (0010). */
  flow: string;
  signed_in: boolean;
  attempts: number;
  duration_count: number;
  duration_sum_ms: number;
  duration_hist: number[];
}

/** `funnel_rollups_hourly`: hourly funnel counts (CTA click → attempt → success). */
export interface FunnelRollupsHourlyTable {
  bucket: Timestamp;
  cta_clicks: number;
  attempts: number;
  successes: number;
  cta_to_attempt: number;
  attempt_to_success: number;
  client_events_available: boolean;
}

/** Dimensions of every generation rollup row (0013): '' where the raw row had none. */
interface GenerationRollupDimensions {
  bucket: Timestamp;
  provider: string;
  model: string;
  prompt_contract_version: string;
  flow: string;
  source: string;
}

/**
 * `call_rollups_hourly` / `call_rollups_daily` (0013): provider calls per hour / UTC day. Sums of
 * `bigint` and `numeric` columns are {@link Numeric}; histograms have 282 cells (rollups/histogram.ts).
 */
export interface CallRollupsTable extends GenerationRollupDimensions {
  response_model: string;
  status: string;
  retry_reason: string;
  calls: number;
  /** Calls that reported any token count. */
  token_calls: number;
  input_tokens: Numeric;
  output_tokens: Numeric;
  cached_input_tokens: Numeric;
  reasoning_tokens: Numeric;
  /** Exact sum over priced calls (numeric(30,12)); read `::text` where exactness matters. */
  cost_usd: Numeric;
  priced_calls: number;
  unpriced_calls: number;
  ttft_count: number;
  ttft_sum_ms: Numeric;
  ttft_hist: number[];
  duration_count: number;
  duration_sum_ms: Numeric;
  duration_hist: number[];
}

/** `phase_rollups_hourly` / `phase_rollups_daily` (0013): attempt phases by the dimensions of their attempt. */
export interface PhaseRollupsTable extends GenerationRollupDimensions {
  phase: string;
  phases: number;
  duration_sum_ms: Numeric;
  duration_hist: number[];
  /** Phases whose attempt has an end-to-end duration. */
  e2e_phases: number;
  /** Their durations, each capped at its attempt's end-to-end duration (so the share is ≤ 1). */
  e2e_phase_sum_ms: Numeric;
  /** The end-to-end durations of their attempts. */
  e2e_sum_ms: Numeric;
}

/** `generation_rollups_hourly` / `generation_rollups_daily` (0013): attempts with their generation figures. */
export interface GenerationRollupsTable extends GenerationRollupDimensions {
  status: string;
  attempts: number;
  with_calls: number;
  call_sum: Numeric;
  /** Calls per attempt: index = calls, the last cell counts that many or more. */
  calls_hist: number[];
  input_tokens: Numeric;
  output_tokens: Numeric;
  cached_input_tokens: Numeric;
  reasoning_tokens: Numeric;
  priced_attempts: number;
  /** Exact cost sum of fully priced attempts (numeric(30,12)). */
  priced_cost_usd: Numeric;
  /** Cost of fully priced attempts in micro-USD, 282 log-scale cells. */
  cost_hist: number[];
  unpriced_attempts: number;
  retried: number;
  fell_back: number;
  had_failed_call: number;
  fell_back_after_failure: number;
  with_phases: number;
  claimed: number;
  answered: number;
  claimed_answered: number;
}

/** `rollup_state`: which hours are final and the incremental watermark, per rollup. */
export interface RollupStateTable {
  name: string;
  finalized_through: ColumnType<Date | null, Date | string | null, Date | string | null>;
  xid_watermark: number | null;
  last_run_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
}

/** `identity_links`: one row per link decision (anonymous session → user); see 0003_identity.sql. */
export interface IdentityLinksTable {
  id: string;
  anon_session_id: string;
  user_id: string;
  linked_at: ColumnType<Date, Date | string | undefined, Date | string>;
  outcome: 'linked' | 'already_linked' | 'conflict';
  /** Rows given the user id by the backfill, per table (`product.trip_creation_attempts`: 3, …). */
  rows_backfilled: ColumnType<Record<string, number>, string | undefined, string>;
}

/** `deletion_receipts`: one row per deletion request; the subject only as an HMAC. */
export interface DeletionReceiptsTable {
  id: string;
  subject_kind: 'user' | 'anon';
  /** Hex HMAC-SHA256 of `<kind>:<id>` under the server secret. */
  subject_hmac: string;
  /** Rows deleted, per table (`product.trip_creation_attempts`: 12, …). */
  counts: ColumnType<Record<string, number>, string, string>;
  requested_at: Timestamp;
  completed_at: Timestamp;
}

/** `server_secrets`: secrets the server generated itself (e.g. `subject_hmac`), kept across restarts. */
export interface ServerSecretsTable {
  name: string;
  secret: string;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/**
 * The tables of the product schema as Kysely sees them. Use with `db.withSchema(schema)`.
 * Later capabilities add their tables here.
 */
export interface TripmeterTables {
  trip_creation_attempts: AttemptsTable;
  trip_creation_events: EventsTable;
  trip_creation_client_events: ClientEventsTable;
  trip_creation_provider_calls: ProviderCallsTable;
  trip_creation_attempt_phases: AttemptPhasesTable;
  model_prices: ModelPricesTable;
  tripmeter_migrations: MigrationsTable;
  api_keys: ApiKeysTable;
  identity_links: IdentityLinksTable;
  deletion_receipts: DeletionReceiptsTable;
  server_secrets: ServerSecretsTable;
  fingerprint_salts: FingerprintSaltsTable;
  attempt_rollups_hourly: AttemptRollupsHourlyTable;
  funnel_rollups_hourly: FunnelRollupsHourlyTable;
  call_rollups_hourly: CallRollupsTable;
  call_rollups_daily: CallRollupsTable;
  phase_rollups_hourly: PhaseRollupsTable;
  phase_rollups_daily: PhaseRollupsTable;
  generation_rollups_hourly: GenerationRollupsTable;
  generation_rollups_daily: GenerationRollupsTable;
  rollup_state: RollupStateTable;
  alert_incidents: AlertIncidentsTable;
  alert_rule_state: AlertRuleStateTable;
  alert_deliveries: AlertDeliveriesTable;
  job_runs: JobRunsTable;
}

/** `alert_incidents`: one row per incident the alert detector opened. */
export interface AlertIncidentsTable {
  id: string;
  rule: string;
  scope: string;
  state: 'firing' | 'resolved';
  opened_at: Timestamp;
  resolved_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  peak_rate: number | null;
  baseline_rate: number | null;
  threshold: number | null;
  counts: ColumnType<Json, string | undefined, string>;
  last_notified_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** `alert_rule_state`: the pending/firing state of each rule and scope between evaluations. */
export interface AlertRuleStateTable {
  rule: string;
  scope: string;
  phase: 'pending' | 'firing';
  breaches: number;
  clears: number;
  incident_id: string | null;
  opened_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  last_notified_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  peak: number | null;
  updated_at: Timestamp;
}

/** `alert_deliveries`: one row per attempt to deliver a notification. */
export interface AlertDeliveriesTable {
  id: string;
  incident_id: string | null;
  notifier: string;
  kind: 'opened' | 'repeat' | 'resolved' | 'test';
  attempt: number;
  status: 'delivered' | 'failed';
  response_code: number | null;
  error: string | null;
  at: Timestamp;
}

/** `<admin_schema>.job_runs`: which instance ran a job for a period (one row per job and period). */
export interface JobRunsTable {
  job: string;
  period_start: Timestamp;
  instance: string;
  started_at: Timestamp;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}
