import { z } from 'zod';
import { isErrorCode, isReservedId, isUuid, REQUEST_ID_PATTERN, SOURCE_PATTERN } from '../domain/index.js';

/** A user or anonymous session id: a UUID, and not a placeholder such as the all-zero UUID. */
export const subjectIdSchema = z
  .string()
  .refine(isUuid, { message: 'must be a UUID', abort: true })
  .refine((value) => !isReservedId(value), 'is a reserved placeholder id, not a subject');
const subjectId = subjectIdSchema;
const label = z.string().min(1).max(128);
const requestId = z.string().regex(REQUEST_ID_PATTERN, '1–128 printable ASCII characters');
const source = z.string().regex(SOURCE_PATTERN);

/** What `startAttempt` accepts (validated off the hot path, at flush time). */
export const startAttemptSchema = z.object({
  requestId: requestId.optional(),
  anonSessionId: subjectId.optional(),
  userId: subjectId.optional(),
  input: z.unknown().optional(),
  effectiveDefaults: z.unknown().optional(),
  promptContractVersion: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/)
    .optional(),
  provider: label.optional(),
  model: label.optional(),
  source: source.optional(),
  /** Coarse fingerprint computed by the host (see privacy/fingerprint); never a raw IP or UA. */
  fingerprint: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .optional(),
});

/** The context of one create attempt. */
export type StartAttemptInput = z.input<typeof startAttemptSchema>;

/**
 * What a finishing call carries besides its outcome: the request id and the context of its
 * handle. A resumed attempt's come from the caller unchecked, so they are validated like a start's.
 */
export const finishContextSchema = z.object({
  requestId,
  anonSessionId: subjectId.optional(),
  userId: subjectId.optional(),
  source: source.optional(),
});

/** What `handle.succeed` accepts. */
export const succeedSchema = z.object({
  tripId: z.string().min(1).max(128).optional(),
  provider: label.optional(),
  model: label.optional(),
});

/** What `handle.fail` accepts. */
export const failSchema = z.object({
  errorCode: z.string().refine(isErrorCode, 'an UPPER_SNAKE identifier of at most 64 characters'),
  error: z.unknown().optional(),
  httpStatus: z.number().int().min(100).max(599).optional(),
  provider: label.optional(),
  model: label.optional(),
});

/** Outcome of a successful attempt. */
export type SucceedInput = z.input<typeof succeedSchema>;
/** Outcome of a failed attempt. */
export type FailInput = z.input<typeof failSchema>;

/** Where a resumed attempt (finished in another process) comes from. */
export interface ResumeOptions {
  anonSessionId?: string;
  userId?: string;
  source?: string;
  /** Start time, when the finishing process knows it (else the server derives the duration). */
  startedAt?: Date | string | number;
}
