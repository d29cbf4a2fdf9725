-- tripmeter 0011: the anatomy of a generation (what each attempt cost, where its time went).
--   trip_creation_provider_calls (both schemas, monthly partitions by created_at = when the call
--     started): one row per call an attempt made to an AI provider (a retry, a fallback, a repair
--     call). Idempotent by (request_id, call_index): writers serialise on the per-request advisory
--     lock (as for attempts) and look rows up through the request_id index. cost_usd is computed at
--     write time from model_prices; NULL when the model has no price ("unpriced", never 0).
--   trip_creation_attempt_phases (both schemas, partitioned the same way): one row per named phase
--     of an attempt (queue_wait, provider_call, parse, normalize, persist, app-defined snake_case),
--     idempotent by (request_id, phase); created_at = started_at.
--   trip_creation_attempts: totals of its calls (kept current as calls arrive, before or after the
--     attempt finished), so summaries do not join.
--   model_prices (product schema): USD per million tokens by provider/model, valid from a day.
-- No column holds prompt or response text.
--
-- Placeholders: {{schema}} (default trip_tracking) and {{admin_schema}} ({{schema}}_admin).
-- Runs unchanged on PostgreSQL 15+ and on PGlite (Postgres 18).

CREATE TABLE {{schema}}.trip_creation_provider_calls (
  id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  request_id text NOT NULL,
  call_index integer NOT NULL CONSTRAINT trip_creation_provider_calls_call_index_check CHECK (call_index >= 0),
  user_id uuid,
  anon_session_id text,
  provider text NOT NULL,
  model text NOT NULL,
  response_model text,
  status text NOT NULL CONSTRAINT trip_creation_provider_calls_status_check
    CHECK (status IN ('success', 'failed')),
  error_code text,
  failure_kind text CONSTRAINT trip_creation_provider_calls_failure_kind_check
    CHECK (failure_kind IN ('timeout', 'abort', 'quality', 'provider', 'infrastructure', 'network',
                            'validation', 'rate_limited', 'abandoned', 'unknown')),
  http_status integer,
  duration_ms integer CONSTRAINT trip_creation_provider_calls_duration_check CHECK (duration_ms >= 0),
  ttft_ms integer CONSTRAINT trip_creation_provider_calls_ttft_check CHECK (ttft_ms >= 0),
  input_tokens integer CONSTRAINT trip_creation_provider_calls_input_tokens_check CHECK (input_tokens >= 0),
  output_tokens integer CONSTRAINT trip_creation_provider_calls_output_tokens_check CHECK (output_tokens >= 0),
  cached_input_tokens integer CONSTRAINT trip_creation_provider_calls_cached_check CHECK (cached_input_tokens >= 0),
  reasoning_tokens integer CONSTRAINT trip_creation_provider_calls_reasoning_check CHECK (reasoning_tokens >= 0),
  finish_reason text,
  retry_reason text CONSTRAINT trip_creation_provider_calls_retry_reason_check
    CHECK (retry_reason ~ '^[a-z][a-z0-9_]{0,31}$'),
  cost_usd numeric(20, 12),
  price_version text,
  prompt_contract_version text,
  flow text,
  source text NOT NULL DEFAULT 'app',
  CONSTRAINT trip_creation_provider_calls_pkey PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);

CREATE INDEX trip_creation_provider_calls_created_at_idx ON {{schema}}.trip_creation_provider_calls (created_at DESC);
CREATE INDEX trip_creation_provider_calls_request_id_idx ON {{schema}}.trip_creation_provider_calls (request_id, call_index);
CREATE INDEX trip_creation_provider_calls_user_id_idx ON {{schema}}.trip_creation_provider_calls (user_id, created_at DESC);
CREATE INDEX trip_creation_provider_calls_anon_session_id_idx ON {{schema}}.trip_creation_provider_calls (anon_session_id, created_at DESC);

CREATE TABLE {{schema}}.trip_creation_attempt_phases (
  id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  request_id text NOT NULL,
  phase text NOT NULL CONSTRAINT trip_creation_attempt_phases_phase_check CHECK (phase ~ '^[a-z][a-z0-9_]{0,31}$'),
  duration_ms integer NOT NULL CONSTRAINT trip_creation_attempt_phases_duration_check CHECK (duration_ms >= 0),
  user_id uuid,
  anon_session_id text,
  source text NOT NULL DEFAULT 'app',
  CONSTRAINT trip_creation_attempt_phases_pkey PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);

CREATE INDEX trip_creation_attempt_phases_created_at_idx ON {{schema}}.trip_creation_attempt_phases (created_at DESC);
CREATE INDEX trip_creation_attempt_phases_request_id_idx ON {{schema}}.trip_creation_attempt_phases (request_id, phase);
CREATE INDEX trip_creation_attempt_phases_user_id_idx ON {{schema}}.trip_creation_attempt_phases (user_id, created_at DESC);
CREATE INDEX trip_creation_attempt_phases_anon_session_id_idx ON {{schema}}.trip_creation_attempt_phases (anon_session_id, created_at DESC);

-- The admin-only schema: same-shaped tables for benchmark runs.
CREATE TABLE {{admin_schema}}.trip_creation_provider_calls
  (LIKE {{schema}}.trip_creation_provider_calls INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
  PARTITION BY RANGE (created_at);
ALTER TABLE {{admin_schema}}.trip_creation_provider_calls
  ADD CONSTRAINT trip_creation_provider_calls_pkey PRIMARY KEY (id, created_at);
CREATE INDEX trip_creation_provider_calls_created_at_idx ON {{admin_schema}}.trip_creation_provider_calls (created_at DESC);
CREATE INDEX trip_creation_provider_calls_request_id_idx ON {{admin_schema}}.trip_creation_provider_calls (request_id, call_index);
CREATE INDEX trip_creation_provider_calls_user_id_idx ON {{admin_schema}}.trip_creation_provider_calls (user_id, created_at DESC);
CREATE INDEX trip_creation_provider_calls_anon_session_id_idx ON {{admin_schema}}.trip_creation_provider_calls (anon_session_id, created_at DESC);

CREATE TABLE {{admin_schema}}.trip_creation_attempt_phases
  (LIKE {{schema}}.trip_creation_attempt_phases INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
  PARTITION BY RANGE (created_at);
ALTER TABLE {{admin_schema}}.trip_creation_attempt_phases
  ADD CONSTRAINT trip_creation_attempt_phases_pkey PRIMARY KEY (id, created_at);
CREATE INDEX trip_creation_attempt_phases_created_at_idx ON {{admin_schema}}.trip_creation_attempt_phases (created_at DESC);
CREATE INDEX trip_creation_attempt_phases_request_id_idx ON {{admin_schema}}.trip_creation_attempt_phases (request_id, phase);
CREATE INDEX trip_creation_attempt_phases_user_id_idx ON {{admin_schema}}.trip_creation_attempt_phases (user_id, created_at DESC);
CREATE INDEX trip_creation_attempt_phases_anon_session_id_idx ON {{admin_schema}}.trip_creation_attempt_phases (anon_session_id, created_at DESC);

-- The attempt's totals over its calls. unpriced_calls counts calls whose cost is NULL; cost_usd
-- is the sum over priced calls (NULL when no call is priced).
ALTER TABLE {{schema}}.trip_creation_attempts
  ADD COLUMN call_count integer,
  ADD COLUMN input_tokens bigint,
  ADD COLUMN output_tokens bigint,
  ADD COLUMN cached_input_tokens bigint,
  ADD COLUMN reasoning_tokens bigint,
  ADD COLUMN cost_usd numeric(20, 12),
  ADD COLUMN unpriced_calls integer;
ALTER TABLE {{admin_schema}}.trip_creation_attempts
  ADD COLUMN call_count integer,
  ADD COLUMN input_tokens bigint,
  ADD COLUMN output_tokens bigint,
  ADD COLUMN cached_input_tokens bigint,
  ADD COLUMN reasoning_tokens bigint,
  ADD COLUMN cost_usd numeric(20, 12),
  ADD COLUMN unpriced_calls integer;

-- Prices: USD per million tokens. A call is priced with the row of its provider/model (the model
-- that answered when it has a price, else the one requested) whose valid_from is the latest on or
-- before the call's day. version names the row in cost provenance (price_version on calls).
CREATE TABLE {{schema}}.model_prices (
  provider text NOT NULL,
  model text NOT NULL,
  valid_from date NOT NULL,
  input_per_mtok numeric(14, 6) NOT NULL CONSTRAINT model_prices_input_check CHECK (input_per_mtok >= 0),
  output_per_mtok numeric(14, 6) NOT NULL CONSTRAINT model_prices_output_check CHECK (output_per_mtok >= 0),
  cached_input_per_mtok numeric(14, 6) CONSTRAINT model_prices_cached_check CHECK (cached_input_per_mtok >= 0),
  reasoning_per_mtok numeric(14, 6) CONSTRAINT model_prices_reasoning_check CHECK (reasoning_per_mtok >= 0),
  version text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT model_prices_pkey PRIMARY KEY (provider, model, valid_from)
);
