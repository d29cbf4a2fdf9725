-- tripmeter 0006: alerting. Incidents opened by the detector, the per-rule state that makes the
-- pending period and the hysteresis survive between evaluations (consecutive one-shot
-- `tripmeter alerts evaluate` runs count), and one row per notification delivery attempt.
--
-- Placeholders: {{schema}} (default trip_tracking) and {{admin_schema}} ({{schema}}_admin).
-- Runs unchanged on PostgreSQL 15+ and on PGlite (Postgres 18). Ids are UUIDv7 from the app.
-- No subject identifiers are stored here: these tables are not raw tables.

CREATE TABLE {{schema}}.alert_incidents (
  id uuid NOT NULL CONSTRAINT alert_incidents_pkey PRIMARY KEY,
  rule text NOT NULL,
  -- 'overall', a provider/model pair ('openai/gpt-4o') or an error code.
  scope text NOT NULL,
  state text NOT NULL CONSTRAINT alert_incidents_state_check CHECK (state IN ('firing', 'resolved')),
  opened_at timestamptz NOT NULL,
  resolved_at timestamptz,
  -- The worst value of the rule's measure while open: a failure rate (0–1), a p95 in ms, a count.
  peak_rate double precision,
  baseline_rate double precision,
  threshold double precision,
  -- The numbers behind the last evaluation: {"attempts": 120, "failures": 19, "windowMinutes": 10}.
  counts jsonb NOT NULL DEFAULT '{}'::jsonb,
  last_notified_at timestamptz,
  CONSTRAINT alert_incidents_resolved_check CHECK ((state = 'resolved') = (resolved_at IS NOT NULL))
);

CREATE INDEX alert_incidents_opened_at_idx ON {{schema}}.alert_incidents (opened_at DESC);
-- At most one open incident per rule and scope.
CREATE UNIQUE INDEX alert_incidents_open_key ON {{schema}}.alert_incidents (rule, scope) WHERE state = 'firing';

CREATE TABLE {{schema}}.alert_rule_state (
  rule text NOT NULL,
  scope text NOT NULL,
  phase text NOT NULL CONSTRAINT alert_rule_state_phase_check CHECK (phase IN ('pending', 'firing')),
  breaches integer NOT NULL DEFAULT 0,
  clears integer NOT NULL DEFAULT 0,
  incident_id uuid CONSTRAINT alert_rule_state_incident_fkey
    REFERENCES {{schema}}.alert_incidents (id) ON DELETE SET NULL,
  opened_at timestamptz,
  last_notified_at timestamptz,
  peak double precision,
  updated_at timestamptz NOT NULL,
  CONSTRAINT alert_rule_state_pkey PRIMARY KEY (rule, scope)
);

CREATE TABLE {{schema}}.alert_deliveries (
  id uuid NOT NULL CONSTRAINT alert_deliveries_pkey PRIMARY KEY,
  -- NULL for `tripmeter alerts test` messages.
  incident_id uuid CONSTRAINT alert_deliveries_incident_fkey
    REFERENCES {{schema}}.alert_incidents (id) ON DELETE CASCADE,
  notifier text NOT NULL,
  kind text NOT NULL CONSTRAINT alert_deliveries_kind_check
    CHECK (kind IN ('opened', 'repeat', 'resolved', 'test')),
  attempt integer NOT NULL CONSTRAINT alert_deliveries_attempt_check CHECK (attempt >= 1),
  status text NOT NULL CONSTRAINT alert_deliveries_status_check CHECK (status IN ('delivered', 'failed')),
  response_code integer,
  error text,
  at timestamptz NOT NULL
);

CREATE INDEX alert_deliveries_incident_id_idx ON {{schema}}.alert_deliveries (incident_id, at);
