-- tripmeter 0001: the plan's two raw tables, range-partitioned by created_at (monthly),
-- in the product schema and in the admin-only benchmark schema, plus the function that
-- creates partitions ahead of time.
--
-- Placeholders: {{schema}} (default trip_tracking) and {{admin_schema}} ({{schema}}_admin).
-- Runs unchanged on PostgreSQL 15+ and on PGlite (Postgres 18).
--
-- Idempotency by request_id: a unique index on a partitioned table must contain the
-- partition key, so (request_id) alone cannot be UNIQUE here. Writers serialise on a
-- per-request advisory transaction lock and look rows up through the request_id indexes.

CREATE TABLE {{schema}}.trip_creation_attempts (
  id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  user_id uuid,
  anon_session_id text,
  status text NOT NULL CONSTRAINT trip_creation_attempts_status_check
    CHECK (status IN ('pending', 'success', 'failed')),
  error_code text,
  duration_ms integer CONSTRAINT trip_creation_attempts_duration_check CHECK (duration_ms >= 0),
  trip_id text,
  input_snapshot_json jsonb,
  effective_defaults_json jsonb,
  request_id text NOT NULL,
  provider text,
  model text,
  prompt_contract_version text NOT NULL DEFAULT 'classic_v1',
  failure_kind text CONSTRAINT trip_creation_attempts_failure_kind_check
    CHECK (failure_kind IN ('timeout', 'abort', 'quality', 'provider', 'network', 'validation',
                            'rate_limited', 'abandoned', 'unknown')),
  fingerprint text,
  source text NOT NULL DEFAULT 'app',
  CONSTRAINT trip_creation_attempts_pkey PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);

CREATE INDEX trip_creation_attempts_created_at_idx ON {{schema}}.trip_creation_attempts (created_at DESC);
CREATE INDEX trip_creation_attempts_user_id_idx ON {{schema}}.trip_creation_attempts (user_id, created_at DESC);
CREATE INDEX trip_creation_attempts_anon_session_id_idx ON {{schema}}.trip_creation_attempts (anon_session_id, created_at DESC);
CREATE INDEX trip_creation_attempts_status_idx ON {{schema}}.trip_creation_attempts (status, created_at DESC);
CREATE INDEX trip_creation_attempts_request_id_idx ON {{schema}}.trip_creation_attempts (request_id);

CREATE TABLE {{schema}}.trip_creation_events (
  id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  event_type text NOT NULL CONSTRAINT trip_creation_events_event_type_check
    CHECK (event_type IN ('create_trip_attempted', 'create_trip_succeeded', 'create_trip_failed')),
  trip_id text,
  user_id uuid,
  anon_session_id text,
  request_id text,
  prompt_contract_version text NOT NULL DEFAULT 'classic_v1',
  payload_json jsonb,
  CONSTRAINT trip_creation_events_pkey PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);

CREATE INDEX trip_creation_events_created_at_idx ON {{schema}}.trip_creation_events (created_at DESC);
CREATE INDEX trip_creation_events_user_id_idx ON {{schema}}.trip_creation_events (user_id, created_at DESC);
CREATE INDEX trip_creation_events_anon_session_id_idx ON {{schema}}.trip_creation_events (anon_session_id, created_at DESC);
CREATE INDEX trip_creation_events_request_id_idx ON {{schema}}.trip_creation_events (request_id, event_type);

-- The admin-only schema: same-shaped tables for benchmark runs, never read by product metrics.
CREATE TABLE {{admin_schema}}.trip_creation_attempts (
  id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  user_id uuid,
  anon_session_id text,
  status text NOT NULL CONSTRAINT trip_creation_attempts_status_check
    CHECK (status IN ('pending', 'success', 'failed')),
  error_code text,
  duration_ms integer CONSTRAINT trip_creation_attempts_duration_check CHECK (duration_ms >= 0),
  trip_id text,
  input_snapshot_json jsonb,
  effective_defaults_json jsonb,
  request_id text NOT NULL,
  provider text,
  model text,
  prompt_contract_version text NOT NULL DEFAULT 'classic_v1',
  failure_kind text CONSTRAINT trip_creation_attempts_failure_kind_check
    CHECK (failure_kind IN ('timeout', 'abort', 'quality', 'provider', 'network', 'validation',
                            'rate_limited', 'abandoned', 'unknown')),
  fingerprint text,
  source text NOT NULL DEFAULT 'app',
  CONSTRAINT trip_creation_attempts_pkey PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);

CREATE INDEX trip_creation_attempts_created_at_idx ON {{admin_schema}}.trip_creation_attempts (created_at DESC);
CREATE INDEX trip_creation_attempts_user_id_idx ON {{admin_schema}}.trip_creation_attempts (user_id, created_at DESC);
CREATE INDEX trip_creation_attempts_anon_session_id_idx ON {{admin_schema}}.trip_creation_attempts (anon_session_id, created_at DESC);
CREATE INDEX trip_creation_attempts_status_idx ON {{admin_schema}}.trip_creation_attempts (status, created_at DESC);
CREATE INDEX trip_creation_attempts_request_id_idx ON {{admin_schema}}.trip_creation_attempts (request_id);

CREATE TABLE {{admin_schema}}.trip_creation_events (
  id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  event_type text NOT NULL CONSTRAINT trip_creation_events_event_type_check
    CHECK (event_type IN ('create_trip_attempted', 'create_trip_succeeded', 'create_trip_failed')),
  trip_id text,
  user_id uuid,
  anon_session_id text,
  request_id text,
  prompt_contract_version text NOT NULL DEFAULT 'classic_v1',
  payload_json jsonb,
  CONSTRAINT trip_creation_events_pkey PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);

CREATE INDEX trip_creation_events_created_at_idx ON {{admin_schema}}.trip_creation_events (created_at DESC);
CREATE INDEX trip_creation_events_user_id_idx ON {{admin_schema}}.trip_creation_events (user_id, created_at DESC);
CREATE INDEX trip_creation_events_anon_session_id_idx ON {{admin_schema}}.trip_creation_events (anon_session_id, created_at DESC);
CREATE INDEX trip_creation_events_request_id_idx ON {{admin_schema}}.trip_creation_events (request_id, event_type);

-- Creates the monthly (UTC) partitions covering [from_ts, to_ts] for every range-partitioned
-- table of both schemas, so tables added by later migrations are covered without change.
-- Returns the names of the partitions it created. Idempotent.
CREATE FUNCTION {{schema}}.ensure_partitions(from_ts timestamptz, to_ts timestamptz)
RETURNS SETOF text
LANGUAGE plpgsql
AS $fn$
DECLARE
  parent record;
  month_start timestamp;
  part_name text;
BEGIN
  -- Serialise concurrent callers (several service instances) so none fails on "already exists".
  PERFORM pg_advisory_xact_lock(727002);
  FOR parent IN
    SELECT n.nspname AS schema_name, c.relname AS table_name
    FROM pg_partitioned_table p
    JOIN pg_class c ON c.oid = p.partrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname IN ('{{schema}}', '{{admin_schema}}')
    ORDER BY 1, 2
  LOOP
    month_start := date_trunc('month', from_ts AT TIME ZONE 'UTC');
    WHILE month_start <= (to_ts AT TIME ZONE 'UTC') LOOP
      part_name := parent.table_name || '_p' || to_char(month_start, 'YYYY_MM');
      IF to_regclass(format('%I.%I', parent.schema_name, part_name)) IS NULL THEN
        EXECUTE format(
          'CREATE TABLE %I.%I PARTITION OF %I.%I FOR VALUES FROM (%L) TO (%L)',
          parent.schema_name, part_name, parent.schema_name, parent.table_name,
          to_char(month_start, 'YYYY-MM-DD') || ' 00:00:00+00',
          to_char(month_start + interval '1 month', 'YYYY-MM-DD') || ' 00:00:00+00');
        RETURN NEXT parent.schema_name || '.' || part_name;
      END IF;
      month_start := month_start + interval '1 month';
    END LOOP;
  END LOOP;
END;
$fn$;
