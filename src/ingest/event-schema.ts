import { z } from 'zod';
import { EVENT_FIELD_RULES, EVENT_TYPES, type IntegerRule, type TextRule } from '../domain/index.js';

/** Most events one `POST /v1/events` may carry. */
export const MAX_EVENTS_PER_REQUEST = 1000;

/**
 * The schema of one rule of {@link EVENT_FIELD_RULES}: its bounds and pattern as zod's own checks
 * (so OpenAPI shows them and their messages stay zod's), its tests as refinements.
 */
function field(rule: TextRule): z.ZodString;
function field(rule: IntegerRule): z.ZodNumber;
function field(rule: TextRule | IntegerRule): z.ZodString | z.ZodNumber {
  if (rule.kind === 'integer') return z.int().min(rule.minimum).max(rule.maximum);
  let schema = z.string();
  if (rule.minLength !== undefined) schema = schema.min(rule.minLength);
  if (rule.maxLength !== undefined) schema = schema.max(rule.maxLength);
  if (rule.pattern !== undefined) schema = schema.regex(rule.pattern.regex, rule.pattern.message);
  for (const test of rule.tests) schema = schema.refine(test.check, { message: test.message, abort: true });
  return schema;
}

const rules = EVENT_FIELD_RULES;
const jsonObject = z.record(z.string(), z.unknown());

/**
 * One event of `POST /v1/events`, snake_case as in the database. Unknown fields are refused.
 * `occurred_at` is checked against the ingest window separately (it needs the clock); on a
 * `create_trip_attempted` event it is the attempt's start, which may precede the request.
 * `flow` defaults to the `flow` of `input_snapshot`.
 *
 * @example
 * { "type": "create_trip_failed", "request_id": "job-42", "error_code": "OPENAI_REQUEST_TIMEOUT",
 *   "occurred_at": "2026-11-25T10:00:04Z", "duration_ms": 4321 }
 */
export const ingestEventSchema = z
  .strictObject({
    type: z.enum(EVENT_TYPES),
    request_id: field(rules.requestId),
    anon_session_id: field(rules.anonSessionId).optional(),
    user_id: field(rules.userId).optional(),
    occurred_at: z.iso
      .datetime({ offset: true, error: 'must be an ISO 8601 date-time with a zone' })
      .optional(),
    trip_id: field(rules.tripId).optional(),
    error_code: field(rules.errorCode).optional(),
    error_class: field(rules.errorClass).optional(),
    error_message: field(rules.errorMessage).optional(),
    http_status: field(rules.httpStatus).optional(),
    duration_ms: field(rules.durationMs).optional(),
    provider: field(rules.provider).optional(),
    model: field(rules.model).optional(),
    prompt_contract_version: field(rules.promptContractVersion).optional(),
    flow: field(rules.flow).optional(),
    input_snapshot: jsonObject.optional(),
    effective_defaults: jsonObject.optional(),
    source: field(rules.source).optional(),
  })
  .superRefine((event, ctx) => {
    if (event.type === 'create_trip_failed' && event.error_code === undefined)
      ctx.addIssue({ code: 'custom', path: ['error_code'], message: 'is required for create_trip_failed' });
  });

/** One parsed ingest event (before mapping and the clock window). */
export type IngestEvent = z.output<typeof ingestEventSchema>;
