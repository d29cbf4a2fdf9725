-- tripmeter 0008: job periods claimed across `serve` instances.
--   job_runs: one row per job and period. Every instance's scheduler inserts the row before it
--     runs a job (INSERT … ON CONFLICT DO NOTHING); the one whose insert lands runs the period,
--     the others skip it. So rollups, reconcile, retention, the salt purge and the alert
--     evaluation run once per period however many instances share the database. A failed run
--     deletes its row, so the next instance to tick may take the period again.
--
-- Placeholders: {{schema}} (default trip_tracking) and {{admin_schema}} ({{schema}}_admin).
-- Runs unchanged on PostgreSQL 15+ and on PGlite (Postgres 18). No subject identifiers.

CREATE TABLE {{admin_schema}}.job_runs (
  job text NOT NULL,
  -- The start of the period: the run time rounded down to the job's interval.
  period_start timestamptz NOT NULL,
  -- Which instance ran it: host/pid/random suffix, for operators reading the table.
  instance text NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  CONSTRAINT job_runs_pkey PRIMARY KEY (job, period_start)
);

CREATE INDEX job_runs_started_at_idx ON {{admin_schema}}.job_runs (started_at);
