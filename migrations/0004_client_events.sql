-- tripmeter 0004: client events mirrored by tripmeter/client (POST /v1/client-events): the
-- create-trip funnel clicks and toggles of the browser, keyed by the first-party anonymous
-- session id, so CTA clicks can be joined to attempts. A raw table like those of 0001:
-- range-partitioned by created_at (monthly, UTC), covered by retention, linkage and deletion.
--
-- Placeholders: {{schema}} (default trip_tracking) and {{admin_schema}} ({{schema}}_admin).
-- Runs unchanged on PostgreSQL 15+ and on PGlite (Postgres 18).
--
-- created_at is the time the browser observed the event (occurred_at). id is the client's event
-- id when it sent one (resends are deduplicated by it), else a UUIDv7 from the server.

CREATE TABLE {{schema}}.trip_creation_client_events (
  id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  anon_session_id text,
  user_id uuid,
  name text NOT NULL,
  props jsonb,
  CONSTRAINT trip_creation_client_events_pkey PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);

CREATE INDEX trip_creation_client_events_created_at_idx ON {{schema}}.trip_creation_client_events (created_at DESC);
CREATE INDEX trip_creation_client_events_anon_session_id_idx ON {{schema}}.trip_creation_client_events (anon_session_id, created_at DESC);
CREATE INDEX trip_creation_client_events_user_id_idx ON {{schema}}.trip_creation_client_events (user_id, created_at DESC);
CREATE INDEX trip_creation_client_events_name_idx ON {{schema}}.trip_creation_client_events (name, created_at DESC);

-- The admin-only schema: the same-shaped table, never read by product metrics.
CREATE TABLE {{admin_schema}}.trip_creation_client_events (
  id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  anon_session_id text,
  user_id uuid,
  name text NOT NULL,
  props jsonb,
  CONSTRAINT trip_creation_client_events_pkey PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);

CREATE INDEX trip_creation_client_events_created_at_idx ON {{admin_schema}}.trip_creation_client_events (created_at DESC);
CREATE INDEX trip_creation_client_events_anon_session_id_idx ON {{admin_schema}}.trip_creation_client_events (anon_session_id, created_at DESC);
CREATE INDEX trip_creation_client_events_user_id_idx ON {{admin_schema}}.trip_creation_client_events (user_id, created_at DESC);
CREATE INDEX trip_creation_client_events_name_idx ON {{admin_schema}}.trip_creation_client_events (name, created_at DESC);

-- The current partitions (ensure_partitions() of 0001 covers every partitioned table of both
-- schemas; `migrate` and `serve` then keep them ahead).
SELECT {{schema}}.ensure_partitions(now() - interval '8 days', now() + interval '45 days');
