import { z } from 'zod';
import {
  EVENT_TYPES,
  isErrorCode,
  isReservedId,
  isUuid,
  REQUEST_ID_PATTERN,
  SOURCE_PATTERN,
} from '../domain/index.js';

/** Most events one `POST /v1/events` may carry. */
export const MAX_EVENTS_PER_REQUEST = 1000;

/** A user or anonymous session id: a UUID, and not a placeholder such as the all-zero UUID. */
const subjectId = z
  .string()
  .refine(isUuid, { message: 'must be a UUID', abort: true })
  .refine((value) => !isReservedId(value), 'is a reserved placeholder id, not a subject');

const label = z.string().min(1).max(128);
const jsonObject = z.record(z.string(), z.unknown());

/**
 * One event of `POST /v1/events`, snake_case as in the database. Unknown fields are refused.
 * `occurred_at` is checked against the ingest window separately (it needs the clock).
 *
 * @example
 * { "type": "create_trip_failed", "request_id": "job-42", "error_code": "OPENAI_REQUEST_TIMEOUT",
 *   "occurred_at": "2026-11-25T10:00:04Z", "duration_ms": 4321 }
 */
export const ingestEventSchema = z
  .strictObject({
    type: z.enum(EVENT_TYPES),
    request_id: z
      .string()
      .regex(REQUEST_ID_PATTERN, 'must be 1–128 printable ASCII characters without spaces'),
    anon_session_id: subjectId.optional(),
    user_id: subjectId.optional(),
    occurred_at: z.iso
      .datetime({ offset: true, error: 'must be an ISO 8601 date-time with a zone' })
      .optional(),
    trip_id: label.optional(),
    error_code: z
      .string()
      .refine(isErrorCode, 'must be an UPPER_SNAKE identifier of at most 64 characters')
      .optional(),
    error_message: z.string().max(10_000).optional(),
    http_status: z.int().min(100).max(599).optional(),
    duration_ms: z.int().min(0).max(2_147_483_647).optional(),
    provider: label.optional(),
    model: label.optional(),
    prompt_contract_version: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1–64 letters, digits, `_`, `.` or `-`')
      .optional(),
    input_snapshot: jsonObject.optional(),
    effective_defaults: jsonObject.optional(),
    source: z
      .string()
      .regex(SOURCE_PATTERN, 'must be a lower-case label such as `app` or `benchmark`')
      .optional(),
  })
  .superRefine((event, ctx) => {
    if (event.type === 'create_trip_failed' && event.error_code === undefined)
      ctx.addIssue({ code: 'custom', path: ['error_code'], message: 'is required for create_trip_failed' });
  });

/** One parsed ingest event (before mapping and the clock window). */
export type IngestEvent = z.output<typeof ingestEventSchema>;
