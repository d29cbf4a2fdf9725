import { EVENT_FIELD_RULES, type FieldRule } from '../domain/index.js';

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
  /**
   * The app's create-trip flow (`classic`, `wizard`, …): a snake_case identifier of at most 32
   * characters. Default: the `flow` of `input`. Kept as a column of its own (a metrics filter and
   * rollup dimension) after the snapshot is scrubbed.
   */
  flow?: string;
  /**
   * When the attempt really started, if before this call (the app's browser starts its attempt
   * before it enqueues). At most 24 hours back; a start up to 5 minutes ahead (clock skew) counts
   * as now. Outside those bounds, or not a time, it is ignored (logged once): the call time is used.
   */
  startedAt?: Date | string | number;
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
  /**
   * The error code: UPPER_SNAKE such as `OPENAI_REQUEST_TIMEOUT`, or any string up to 1,000
   * characters (`error.name`, e.g. `TypeError`), stored normalised (`TYPE_ERROR`) with the raw
   * name kept as the failed event's `error_class`.
   */
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
  /**
   * Start time, when the finishing process knows it (else the server derives the duration); the
   * bounds of `StartAttemptInput.startedAt` apply.
   */
  startedAt?: Date | string | number;
}

/** For every field of `T` (the compiler keeps the two in step), its rule; `null` takes any value. */
type FieldRules<T> = { readonly [K in keyof T]-?: FieldRule | null };

const rules = EVENT_FIELD_RULES;

/** Whether a request id is valid (a finishing call's is checked apart from its context). */
export const isRequestId = rules.requestId.check;

/**
 * Validates objects by the rule of each field: absent fields pass unless required. Returns the
 * names of the fields that fail, or `undefined` when all pass; a value that is not a plain object
 * fails as `(root)`. Valid input, the usual case, costs the rules' checks alone: no parse and no
 * copy, since this runs for every tracker call.
 */
export function validator<T>(fieldRules: FieldRules<T>, required: readonly (keyof T & string)[] = []) {
  const checks = Object.entries(fieldRules).flatMap(([field, rule]) =>
    rule === null ? [] : [[field, (rule as FieldRule).check] as const],
  );
  return (value: unknown): string[] | undefined => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['(root)'];
    let invalid: string[] | undefined;
    for (const [field, check] of checks) {
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
  requestId: rules.requestId,
  anonSessionId: rules.anonSessionId,
  userId: rules.userId,
  input: null,
  effectiveDefaults: null,
  promptContractVersion: rules.promptContractVersion,
  provider: rules.provider,
  model: rules.model,
  source: rules.source,
  flow: rules.flow,
  startedAt: null, // bounded by the tracker itself: out of bounds, it is ignored, not refused
  fingerprint: rules.fingerprint,
});

/**
 * The context a finishing call carries besides its outcome: its handle's, or, for a resumed
 * attempt, the caller's (so it is checked like a start's).
 */
export const invalidFinishContextFields = validator<Omit<ResumeOptions, 'startedAt'>>({
  anonSessionId: rules.anonSessionId,
  userId: rules.userId,
  source: rules.source,
});

/** The fields of a `succeed` outcome that fail their checks, or `undefined`. */
export const invalidSucceedFields = validator<SucceedInput>({
  tripId: rules.tripId,
  provider: rules.provider,
  model: rules.model,
});

/** The fields of a `fail` outcome that fail their checks, or `undefined`. */
export const invalidFailFields = validator<FailInput>(
  {
    errorCode: rules.errorCode,
    error: null,
    httpStatus: rules.httpStatus,
    provider: rules.provider,
    model: rules.model,
  },
  ['errorCode'],
);
