import { z } from 'zod';
import {
  EVENT_FIELD_RULES,
  EVENT_TYPES,
  GENERATION_FIELD_RULES,
  type IntegerRule,
  type TextRule,
} from '../domain/index.js';

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

const g = GENERATION_FIELD_RULES;
const dateTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a zone' });

/**
 * A `provider_call` event of `POST /v1/events`: one call an attempt made to an AI provider,
 * idempotent by `request_id` + `call_index`. No field carries prompt or response text.
 * `occurred_at` is when the call started (default: the server's now).
 *
 * @example
 * { "type": "provider_call", "request_id": "job-42", "call_index": 1, "provider": "openai",
 *   "model": "gpt-5.4", "status": "success", "duration_ms": 8000, "input_tokens": 1000,
 *   "output_tokens": 800, "retry_reason": "fallback" }
 */
export const ingestProviderCallSchema = z.strictObject({
  type: z.literal('provider_call'),
  request_id: field(rules.requestId),
  call_index: field(g.callIndex),
  provider: field(rules.provider),
  model: field(rules.model),
  response_model: field(g.responseModel).optional(),
  status: z.enum(['success', 'failed']),
  error_code: field(rules.errorCode).optional(),
  http_status: field(rules.httpStatus).optional(),
  duration_ms: field(rules.durationMs).optional(),
  ttft_ms: field(g.ttftMs).optional(),
  input_tokens: field(g.inputTokens).optional(),
  output_tokens: field(g.outputTokens).optional(),
  cached_input_tokens: field(g.cachedInputTokens).optional(),
  reasoning_tokens: field(g.reasoningTokens).optional(),
  finish_reason: field(g.finishReason).optional(),
  retry_reason: field(g.retryReason).optional(),
  occurred_at: dateTime.optional(),
  source: field(rules.source).optional(),
});

/** One parsed `provider_call` event. */
export type IngestProviderCall = z.output<typeof ingestProviderCallSchema>;

/**
 * An `attempt_phase` event of `POST /v1/events`: a named phase of an attempt (`queue_wait`,
 * `provider_call`, `parse`, `normalize`, `persist` or an app's snake_case name), idempotent by
 * `request_id` + `phase`.
 *
 * @example
 * { "type": "attempt_phase", "request_id": "job-42", "phase": "parse",
 *   "started_at": "2026-11-25T10:00:04Z", "duration_ms": 120 }
 */
export const ingestPhaseSchema = z.strictObject({
  type: z.literal('attempt_phase'),
  request_id: field(rules.requestId),
  phase: field(g.phase),
  started_at: dateTime,
  duration_ms: field(rules.durationMs),
  source: field(rules.source).optional(),
});

/** One parsed `attempt_phase` event. */
export type IngestPhase = z.output<typeof ingestPhaseSchema>;

/**
 * Keys no event may carry: prompt or response text is never stored from any path, and a client
 * sending it is told so by name (`FORBIDDEN_CONTENT_KEY`) rather than as an unknown field.
 */
export const CONTENT_KEYS: readonly string[] = ['prompt', 'messages', 'completion', 'response'];
