-- tripmeter 0010: the app's create-trip flow (classic, wizard, surprise, …) as a dimension.
--   trip_creation_attempts.flow (both schemas): taken from the start (the explicit flow, else the
--     snapshot's), a snake_case identifier of at most 32 characters (FLOW_PATTERN in
--     src/domain/ids.ts). Not a snapshot key: retention never nulls it, so filters and rollups
--     keep it after the 30-day snapshot scrub.
--   attempt_rollups_hourly / attempt_rollups_daily: flow joins the dimensions ('' when absent)
--     and their primary keys.
-- Existing rows take the flow their snapshot still holds. The rollups' xid watermark sees those
-- updated rows, so the next incremental run recomputes their hours that are not final; final
-- hours (raw rows possibly purged) keep flow ''.
--
-- Placeholders: {{schema}} (default trip_tracking) and {{admin_schema}} ({{schema}}_admin).
-- Runs unchanged on PostgreSQL 15+ and on PGlite (Postgres 18).

ALTER TABLE {{schema}}.trip_creation_attempts ADD COLUMN flow text
  CONSTRAINT trip_creation_attempts_flow_check CHECK (flow ~ '^[a-z][a-z0-9_]{0,31}$');
ALTER TABLE {{admin_schema}}.trip_creation_attempts ADD COLUMN flow text
  CONSTRAINT trip_creation_attempts_flow_check CHECK (flow ~ '^[a-z][a-z0-9_]{0,31}$');

-- Backfill: the flow of snapshots not yet scrubbed.
UPDATE {{schema}}.trip_creation_attempts SET flow = input_snapshot_json ->> 'flow'
WHERE input_snapshot_json ->> 'flow' ~ '^[a-z][a-z0-9_]{0,31}$';
UPDATE {{admin_schema}}.trip_creation_attempts SET flow = input_snapshot_json ->> 'flow'
WHERE input_snapshot_json ->> 'flow' ~ '^[a-z][a-z0-9_]{0,31}$';
-- End of backfill.

ALTER TABLE {{schema}}.attempt_rollups_hourly ADD COLUMN flow text NOT NULL DEFAULT '';
ALTER TABLE {{schema}}.attempt_rollups_hourly DROP CONSTRAINT attempt_rollups_hourly_pkey;
ALTER TABLE {{schema}}.attempt_rollups_hourly ADD CONSTRAINT attempt_rollups_hourly_pkey PRIMARY KEY
  (bucket, status, error_code, failure_kind, provider, model, prompt_contract_version, source, flow, signed_in);

ALTER TABLE {{schema}}.attempt_rollups_daily ADD COLUMN flow text NOT NULL DEFAULT '';
ALTER TABLE {{schema}}.attempt_rollups_daily DROP CONSTRAINT attempt_rollups_daily_pkey;
ALTER TABLE {{schema}}.attempt_rollups_daily ADD CONSTRAINT attempt_rollups_daily_pkey PRIMARY KEY
  (bucket, status, error_code, failure_kind, provider, model, prompt_contract_version, source, flow, signed_in);
