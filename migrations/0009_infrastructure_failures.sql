-- tripmeter 0009: the `infrastructure` failure kind (a failure of the app's own configuration,
-- queue, database or worker, told apart from the provider's), in the product schema and in the
-- admin-only benchmark schema. The new list is a superset of the old one, so every stored row
-- passes the check again; dropping and adding on the partitioned parent applies to every partition.
--
-- Placeholders: {{schema}} and {{admin_schema}}. Runs unchanged on PostgreSQL 15+ and on PGlite.

ALTER TABLE {{schema}}.trip_creation_attempts
  DROP CONSTRAINT trip_creation_attempts_failure_kind_check,
  ADD CONSTRAINT trip_creation_attempts_failure_kind_check
    CHECK (failure_kind IN ('timeout', 'abort', 'quality', 'provider', 'infrastructure', 'network',
                            'validation', 'rate_limited', 'abandoned', 'unknown'));

ALTER TABLE {{admin_schema}}.trip_creation_attempts
  DROP CONSTRAINT trip_creation_attempts_failure_kind_check,
  ADD CONSTRAINT trip_creation_attempts_failure_kind_check
    CHECK (failure_kind IN ('timeout', 'abort', 'quality', 'provider', 'infrastructure', 'network',
                            'validation', 'rate_limited', 'abandoned', 'unknown'));
