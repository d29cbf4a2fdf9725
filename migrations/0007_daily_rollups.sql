-- tripmeter 0007: daily attempt rollups and per-day rollup generations.
--   attempt_rollups_daily: the hourly attempt rollups summed per UTC day (same dimensions, same
--     282-bucket duration histogram). Always derived from attempt_rollups_hourly in the same
--     transaction that changes an hour of the day, so it holds no identifiers, is kept forever and
--     survives the purge of raw rows exactly like the hourly rollups. Long ranges read whole days
--     here and only their edge hours from the hourly table.
--   rollup_day_generations: for each UTC day whose rollups were ever written, the transaction id
--     that last rewrote them. Readers cache per-day answers keyed by it (one primary-key range read
--     instead of a checksum scan over the hourly rows).
--
-- Placeholders: {{schema}} (default trip_tracking) and {{admin_schema}} ({{schema}}_admin).
-- Runs unchanged on PostgreSQL 15+ and on PGlite (Postgres 18).

CREATE TABLE {{schema}}.attempt_rollups_daily (
  -- Midnight UTC of the day.
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
  duration_hist integer[] NOT NULL,
  CONSTRAINT attempt_rollups_daily_pkey PRIMARY KEY
    (bucket, status, error_code, failure_kind, provider, model, prompt_contract_version, source, signed_in)
);

CREATE TABLE {{schema}}.rollup_day_generations (
  day timestamptz NOT NULL CONSTRAINT rollup_day_generations_pkey PRIMARY KEY,
  generation bigint NOT NULL
);

-- Backfill from the hourly rollups already there (their raw rows may be purged: hourly is the source).
-- Histograms are summed cell by cell (every stored histogram has the same 282 buckets).
INSERT INTO {{schema}}.attempt_rollups_daily (bucket, status, error_code, failure_kind, provider, model,
  prompt_contract_version, source, signed_in, attempts, duration_count, duration_sum_ms, duration_hist)
WITH hourly AS (
  SELECT date_trunc('day', bucket, 'UTC') AS day, status, error_code, failure_kind, provider, model,
    prompt_contract_version, source, signed_in, attempts, duration_count, duration_sum_ms, duration_hist
  FROM {{schema}}.attempt_rollups_hourly
),
totals AS (
  SELECT day, status, error_code, failure_kind, provider, model, prompt_contract_version, source, signed_in,
    sum(attempts)::integer AS attempts, sum(duration_count)::integer AS duration_count,
    sum(duration_sum_ms)::bigint AS duration_sum_ms
  FROM hourly
  GROUP BY day, status, error_code, failure_kind, provider, model, prompt_contract_version, source, signed_in
),
cells AS (
  SELECT day, status, error_code, failure_kind, provider, model, prompt_contract_version, source, signed_in,
    u.i, sum(u.v)::integer AS v
  FROM hourly CROSS JOIN LATERAL unnest(hourly.duration_hist) WITH ORDINALITY AS u(v, i)
  GROUP BY day, status, error_code, failure_kind, provider, model, prompt_contract_version, source, signed_in, u.i
),
hists AS (
  SELECT day, status, error_code, failure_kind, provider, model, prompt_contract_version, source, signed_in,
    array_agg(v ORDER BY i) AS duration_hist
  FROM cells
  GROUP BY day, status, error_code, failure_kind, provider, model, prompt_contract_version, source, signed_in
)
SELECT day, status, error_code, failure_kind, provider, model, prompt_contract_version, source, signed_in,
  attempts, duration_count, duration_sum_ms, duration_hist
FROM totals JOIN hists
  USING (day, status, error_code, failure_kind, provider, model, prompt_contract_version, source, signed_in);

INSERT INTO {{schema}}.rollup_day_generations (day, generation)
SELECT DISTINCT date_trunc('day', bucket, 'UTC'), pg_current_xact_id()::text::bigint
FROM {{schema}}.attempt_rollups_hourly;
