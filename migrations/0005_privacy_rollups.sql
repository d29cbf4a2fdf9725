-- tripmeter 0005: privacy and long-term aggregates.
--   fingerprint_salts: one random 32-byte salt per UTC day for the optional coarse fingerprint;
--     rows older than 48 hours are deleted by a job, so old fingerprints cannot be recomputed.
--   attempt_rollups_hourly / funnel_rollups_hourly: hourly aggregates that hold no identifiers
--     and are kept forever; retention finalizes a period here before deleting its raw rows.
--   rollup_state: which hours are final (raw rows may be gone) and the incremental watermark.
-- Runs unchanged on PostgreSQL 15+ and PGlite.

CREATE TABLE {{schema}}.fingerprint_salts (
  day date PRIMARY KEY,
  salt bytea NOT NULL CONSTRAINT fingerprint_salts_salt_check CHECK (octet_length(salt) = 32),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Dimensions that may be absent are stored as '' so they can be part of the primary key.
CREATE TABLE {{schema}}.attempt_rollups_hourly (
  bucket timestamptz NOT NULL,
  status text NOT NULL,
  error_code text NOT NULL DEFAULT '',
  failure_kind text NOT NULL DEFAULT '',
  provider text NOT NULL DEFAULT '',
  model text NOT NULL DEFAULT '',
  prompt_contract_version text NOT NULL DEFAULT 'classic_v1',
  source text NOT NULL DEFAULT '',
  signed_in boolean NOT NULL,
  attempts integer NOT NULL,
  duration_count integer NOT NULL,
  duration_sum_ms bigint NOT NULL,
  -- Counts per fixed log-scale duration bucket (see src/rollups/histogram.ts).
  duration_hist integer[] NOT NULL,
  CONSTRAINT attempt_rollups_hourly_pkey PRIMARY KEY
    (bucket, status, error_code, failure_kind, provider, model, prompt_contract_version, source, signed_in)
);

CREATE TABLE {{schema}}.funnel_rollups_hourly (
  bucket timestamptz PRIMARY KEY,
  cta_clicks integer NOT NULL,
  attempts integer NOT NULL,
  successes integer NOT NULL,
  -- CTA clicks of the hour followed by an attempt of the same anonymous session within the window.
  cta_to_attempt integer NOT NULL,
  -- Attempts of the hour that succeeded.
  attempt_to_success integer NOT NULL,
  -- False while trip_creation_client_events does not exist (CTA columns are then 0).
  client_events_available boolean NOT NULL
);

CREATE TABLE {{schema}}.rollup_state (
  name text PRIMARY KEY,
  -- Hours before this are final: never recomputed (their raw rows may be deleted).
  finalized_through timestamptz,
  -- Transactions older than this were all visible at the last incremental run.
  xid_watermark bigint,
  last_run_at timestamptz
);
