import { isErrorCode, isSubjectId, REQUEST_ID_PATTERN, SOURCE_PATTERN } from '../domain/index.js';

/** What `startAttempt` accepts (validated off the hot path, at flush time). */
export interface StartAttemptInput {
  /** Idempotency key: 1–128 printable ASCII characters without spaces (default: a new UUIDv7). */
  requestId?: string;
  /** The browser's anonymous session id: a UUID, not a placeholder. */
  anonSessionId?: string;
  /** The signed-in user's id: a UUID, not a placeholder. */
  userId?: string;
  /** The create-trip input; only its allowlisted fields are kept (see privacy/input-schema). */
  input?: unknown;
  /** The defaults the app filled in; kept like `input`. */
  effectiveDefaults?: unknown;
  /** 1–64 of `A–Z a–z 0–9 _ . -` (default `classic_v1`). */
  promptContractVersion?: string;
  /** 1–128 characters. */
  provider?: string;
  /** 1–128 characters. */
  model?: string;
  /** A lower-case label such as `app` (default) or `benchmark`. */
  source?: string;
  /** Coarse fingerprint computed by the host (see privacy/fingerprint); never a raw IP or UA. */
  fingerprint?: string;
}

/** What `handle.succeed` accepts. */
export interface SucceedInput {
  /** 1–128 characters: the trip this attempt created. */
  tripId?: string;
  provider?: string;
  model?: string;
}

/** What `handle.fail` accepts. */
export interface FailInput {
  /** An UPPER_SNAKE identifier of at most 64 characters. */
  errorCode: string;
  /** The error itself: its message is redacted and truncated. */
  error?: unknown;
  /** 100–599. */
  httpStatus?: number;
  provider?: string;
  model?: string;
}

/** Where a resumed attempt (finished in another process) comes from. */
export interface ResumeOptions {
  anonSessionId?: string;
  userId?: string;
  source?: string;
  /** Start time, when the finishing process knows it (else the server derives the duration). */
  startedAt?: Date | string | number;
}

/** Whether a present value is acceptable. */
type Check = (value: unknown) => boolean;

/** A check for every field of `T` (the compiler keeps the two in step); `null` takes any value. */
type FieldChecks<T> = { readonly [K in keyof T]-?: Check | null };

const matches =
  (pattern: RegExp): Check =>
  (value) =>
    typeof value === 'string' && pattern.test(value);
const lengthWithin =
  (min: number, max: number): Check =>
  (value) =>
    typeof value === 'string' && value.length >= min && value.length <= max;
const isLabel = lengthWithin(1, 128);
/** Whether a request id is valid (a finishing call's is checked apart from its context). */
export const isRequestId = matches(REQUEST_ID_PATTERN);
const isSource = matches(SOURCE_PATTERN);

/**
 * Validates objects by one predicate per field: absent fields pass unless required. Returns the
 * names of the fields that fail, or `undefined` when all pass; a value that is not a plain object
 * fails as `(root)`. Valid input, the usual case, costs the predicates alone: no parse and no
 * copy (a zod parse allocated ~1.4 KB per start, on the flush path).
 */
function validator<T>(checks: FieldChecks<T>, required: readonly (keyof T & string)[] = []) {
  const entries = Object.entries(checks).filter((entry): entry is [string, Check] => entry[1] !== null);
  return (value: unknown): string[] | undefined => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['(root)'];
    let invalid: string[] | undefined;
    for (const [field, check] of entries) {
      const fieldValue = (value as Record<string, unknown>)[field];
      const ok = fieldValue === undefined ? !required.includes(field as keyof T & string) : check(fieldValue);
      if (ok) continue;
      invalid ??= [];
      invalid.push(field);
    }
    return invalid;
  };
}

/** The fields of a start that fail their checks, or `undefined`. */
export const invalidStartFields = validator<StartAttemptInput>({
  requestId: isRequestId,
  anonSessionId: isSubjectId,
  userId: isSubjectId,
  input: null,
  effectiveDefaults: null,
  promptContractVersion: matches(/^[A-Za-z0-9_.-]{1,64}$/),
  provider: isLabel,
  model: isLabel,
  source: isSource,
  fingerprint: matches(/^[A-Za-z0-9_-]{8,64}$/),
});

/**
 * The context a finishing call carries besides its outcome: its handle's, or, for a resumed
 * attempt, the caller's (so it is checked like a start's).
 */
export const invalidFinishContextFields = validator<Omit<ResumeOptions, 'startedAt'>>({
  anonSessionId: isSubjectId,
  userId: isSubjectId,
  source: isSource,
});

/** The fields of a `succeed` outcome that fail their checks, or `undefined`. */
export const invalidSucceedFields = validator<SucceedInput>({
  tripId: isLabel,
  provider: isLabel,
  model: isLabel,
});

/** The fields of a `fail` outcome that fail their checks, or `undefined`. */
export const invalidFailFields = validator<FailInput>(
  {
    errorCode: isErrorCode,
    error: null,
    httpStatus: (value) => Number.isInteger(value) && (value as number) >= 100 && (value as number) <= 599,
    provider: isLabel,
    model: isLabel,
  },
  ['errorCode'],
);
