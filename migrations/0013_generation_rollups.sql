-- tripmeter 0013: rollups of the anatomy of a generation (what attempts cost, where time went).
--   call_rollups_hourly / call_rollups_daily: provider calls (0011) per hour / UTC day by provider,
--     model, response_model, prompt_contract_version, flow, source, status and retry_reason: count,
--     token sums (bigint), the exact cost sum of priced calls (numeric), priced and unpriced counts,
--     TTFT and duration histograms (the 282 log-scale buckets of src/rollups/histogram.ts).
--   phase_rollups_hourly / phase_rollups_daily: attempt phases (0011) by phase and the dimensions
--     of their attempt: count, duration sum and histogram, and the end-to-end time of the attempts
--     that report the phase (its share of the end-to-end time).
--   generation_rollups_hourly / generation_rollups_daily: attempts by status and dimensions with
--     their generation figures: calls per attempt, token and cost totals (exact), the cost of
--     fully priced attempts (sum and a histogram in micro-USD), retries, fallbacks, rescues and the
--     queue funnel (claimed, provider answered, trip stored).
-- Hold no identifiers and are kept forever like attempt_rollups_*; built by the same jobs in the
-- same transactions (src/rollups), daily ones always derived from the hourly ones, and covered by
-- rollup_day_generations (readers cache a day's answer by it). Dimensions that may be absent are
-- stored as '' so they can be part of the primary key.
--
-- Placeholders: {{schema}} (default trip_tracking) and {{admin_schema}} ({{schema}}_admin).
-- Runs unchanged on PostgreSQL 15+ and on PGlite (Postgres 18).

CREATE TABLE {{schema}}.call_rollups_hourly (
  bucket timestamptz NOT NULL,
  provider text NOT NULL DEFAULT '',
  model text NOT NULL DEFAULT '',
  response_model text NOT NULL DEFAULT '',
  prompt_contract_version text NOT NULL DEFAULT '',
  flow text NOT NULL DEFAULT '',
  source text NOT NULL DEFAULT '',
  status text NOT NULL,
  retry_reason text NOT NULL DEFAULT '',
  calls integer NOT NULL,
  -- Calls that reported any token count (tokens of a group without one are unknown, not 0).
  token_calls integer NOT NULL,
  input_tokens bigint NOT NULL,
  output_tokens bigint NOT NULL,
  cached_input_tokens bigint NOT NULL,
  reasoning_tokens bigint NOT NULL,
  -- Exact sum of cost_usd over priced calls; unpriced calls (cost NULL) are counted, never summed as 0.
  cost_usd numeric(30, 12) NOT NULL,
  priced_calls integer NOT NULL,
  unpriced_calls integer NOT NULL,
  ttft_count integer NOT NULL,
  ttft_sum_ms bigint NOT NULL,
  ttft_hist integer[] NOT NULL,
  duration_count integer NOT NULL,
  duration_sum_ms bigint NOT NULL,
  duration_hist integer[] NOT NULL,
  CONSTRAINT call_rollups_hourly_pkey PRIMARY KEY
    (bucket, provider, model, response_model, prompt_contract_version, flow, source, status, retry_reason)
);

CREATE TABLE {{schema}}.call_rollups_daily (LIKE {{schema}}.call_rollups_hourly INCLUDING DEFAULTS);
ALTER TABLE {{schema}}.call_rollups_daily ADD CONSTRAINT call_rollups_daily_pkey PRIMARY KEY
  (bucket, provider, model, response_model, prompt_contract_version, flow, source, status, retry_reason);

CREATE TABLE {{schema}}.phase_rollups_hourly (
  bucket timestamptz NOT NULL,
  phase text NOT NULL,
  provider text NOT NULL DEFAULT '',
  model text NOT NULL DEFAULT '',
  prompt_contract_version text NOT NULL DEFAULT '',
  flow text NOT NULL DEFAULT '',
  source text NOT NULL DEFAULT '',
  phases integer NOT NULL,
  duration_sum_ms bigint NOT NULL,
  duration_hist integer[] NOT NULL,
  -- Phases whose attempt has an end-to-end duration, their summed duration and the attempts' one.
  e2e_phases integer NOT NULL,
  e2e_phase_sum_ms bigint NOT NULL,
  e2e_sum_ms bigint NOT NULL,
  CONSTRAINT phase_rollups_hourly_pkey PRIMARY KEY
    (bucket, phase, provider, model, prompt_contract_version, flow, source)
);

CREATE TABLE {{schema}}.phase_rollups_daily (LIKE {{schema}}.phase_rollups_hourly INCLUDING DEFAULTS);
ALTER TABLE {{schema}}.phase_rollups_daily ADD CONSTRAINT phase_rollups_daily_pkey PRIMARY KEY
  (bucket, phase, provider, model, prompt_contract_version, flow, source);

CREATE TABLE {{schema}}.generation_rollups_hourly (
  bucket timestamptz NOT NULL,
  status text NOT NULL,
  provider text NOT NULL DEFAULT '',
  model text NOT NULL DEFAULT '',
  prompt_contract_version text NOT NULL DEFAULT '',
  flow text NOT NULL DEFAULT '',
  source text NOT NULL DEFAULT '',
  attempts integer NOT NULL,
  -- Attempts with at least one provider call, their calls, and calls per attempt (index = calls,
  -- the last cell counts that many or more).
  with_calls integer NOT NULL,
  call_sum bigint NOT NULL,
  calls_hist integer[] NOT NULL,
  input_tokens bigint NOT NULL,
  output_tokens bigint NOT NULL,
  cached_input_tokens bigint NOT NULL,
  reasoning_tokens bigint NOT NULL,
  -- Attempts with calls all priced: their count, exact cost sum and cost histogram (micro-USD).
  priced_attempts integer NOT NULL,
  priced_cost_usd numeric(30, 12) NOT NULL,
  cost_hist integer[] NOT NULL,
  -- Attempts with at least one unpriced call (their cost is not known).
  unpriced_attempts integer NOT NULL,
  -- More than one call; calls to more than one provider/model (or a 'fallback' retry reason);
  -- at least one failed call; fell back after a failed call.
  retried integer NOT NULL,
  fell_back integer NOT NULL,
  had_failed_call integer NOT NULL,
  fell_back_after_failure integer NOT NULL,
  -- Queue funnel: any phase reported; a queue_wait phase (claimed); a successful call (answered);
  -- claimed and answered.
  with_phases integer NOT NULL,
  claimed integer NOT NULL,
  answered integer NOT NULL,
  claimed_answered integer NOT NULL,
  CONSTRAINT generation_rollups_hourly_pkey PRIMARY KEY
    (bucket, status, provider, model, prompt_contract_version, flow, source)
);

CREATE TABLE {{schema}}.generation_rollups_daily (LIKE {{schema}}.generation_rollups_hourly INCLUDING DEFAULTS);
ALTER TABLE {{schema}}.generation_rollups_daily ADD CONSTRAINT generation_rollups_daily_pkey PRIMARY KEY
  (bucket, status, provider, model, prompt_contract_version, flow, source);
