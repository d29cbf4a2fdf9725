import { ERROR_CLASS_PATTERN, RAW_ERROR_CODE_MAX_LENGTH } from './error-code.js';
import type { TelemetryEvent } from './events.js';
import { PHASE_PATTERN, RETRY_REASON_PATTERN } from './generation.js';
import { FLOW_PATTERN, isReservedId, isUuid, REQUEST_ID_PATTERN, SOURCE_PATTERN } from './ids.js';

/** A test of a text field beyond its length and pattern, with what an HTTP client is told when it fails. */
export interface TextTest {
  readonly check: (value: string) => boolean;
  readonly message: string;
}

/**
 * A text field: a string within the length bounds (failures worded by the schema library, e.g.
 * "Too big: expected string to have <=128 characters"), matching `pattern`, then passing each of
 * `tests` in order (a failed test ends the checks, so a value is told one reason).
 */
export interface TextRule {
  readonly kind: 'text';
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: { readonly regex: RegExp; readonly message: string };
  readonly tests: readonly TextTest[];
  /** Whether a present value passes the whole rule: what the tracker checks, without parsing. */
  readonly check: (value: unknown) => boolean;
}

/** An integer field within `minimum`–`maximum` (failures worded by the schema library). */
export interface IntegerRule {
  readonly kind: 'integer';
  readonly minimum: number;
  readonly maximum: number;
  /** Whether a present value passes the whole rule. */
  readonly check: (value: unknown) => boolean;
}

/** The rule of one event field. */
export type FieldRule = TextRule | IntegerRule;

function text(parts: Omit<TextRule, 'kind' | 'check' | 'tests'> & { tests?: TextTest[] }): TextRule {
  const tests = parts.tests ?? [];
  const min = parts.minLength ?? 0;
  const max = parts.maxLength ?? Number.POSITIVE_INFINITY;
  const regex = parts.pattern?.regex;
  const check = (value: unknown): boolean => {
    if (typeof value !== 'string' || value.length < min || value.length > max) return false;
    if (regex !== undefined && !regex.test(value)) return false;
    for (let i = 0; i < tests.length; i++) if (!tests[i]!.check(value)) return false;
    return true;
  };
  return { kind: 'text', ...parts, tests, check };
}

function integer(minimum: number, maximum: number): IntegerRule {
  const check = (value: unknown): boolean =>
    Number.isInteger(value) && (value as number) >= minimum && (value as number) <= maximum;
  return { kind: 'integer', minimum, maximum, check };
}

/** A prompt contract version: 1–64 of `A–Z a–z 0–9 _ . -`, e.g. `classic_v1`. */
export const PROMPT_CONTRACT_VERSION_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/** A free label (provider, model, trip id): 1–128 characters. */
const label = text({ minLength: 1, maxLength: 128 });

/** A user or anonymous session id: a UUID, and not a placeholder such as the all-zero UUID. */
const subjectId = text({
  tests: [
    { check: isUuid, message: 'must be a UUID' },
    { check: (value) => !isReservedId(value), message: 'is a reserved placeholder id, not a subject' },
  ],
});

/**
 * The rules of a telemetry event's fields, declared once. The tracker checks its input with each
 * rule's `check` (no parse, no copy: it runs for every call at flush time); HTTP ingest builds its
 * schema from the same rules, with their messages. A rule changed here changes on both paths.
 *
 * @example
 * EVENT_FIELD_RULES.httpStatus.check(504); // true
 * EVENT_FIELD_RULES.source.check('Not A Source'); // false
 */
export const EVENT_FIELD_RULES = {
  requestId: text({
    pattern: {
      regex: REQUEST_ID_PATTERN,
      message: 'must be 1–128 printable ASCII characters without spaces',
    },
  }),
  anonSessionId: subjectId,
  userId: subjectId,
  tripId: label,
  /**
   * Any code of at most 1,000 characters, normalised before it is stored (`TypeError` →
   * `TYPE_ERROR`, see `normaliseErrorCode`): an outcome is never dropped for its code's shape.
   */
  errorCode: text({ maxLength: RAW_ERROR_CODE_MAX_LENGTH }),
  /** The class a code was normalised from (set by a tracker that normalised it before sending). */
  errorClass: text({
    pattern: { regex: ERROR_CLASS_PATTERN, message: 'must be 1–64 of `A–Z a–z 0–9 _ . : $ -`' },
  }),
  /** The raw message as sent; it is redacted and truncated before it is stored. */
  errorMessage: text({ maxLength: 10_000 }),
  httpStatus: integer(100, 599),
  /** A PostgreSQL `integer`. */
  durationMs: integer(0, 2_147_483_647),
  provider: label,
  model: label,
  promptContractVersion: text({
    pattern: {
      regex: PROMPT_CONTRACT_VERSION_PATTERN,
      message: 'must be 1–64 letters, digits, `_`, `.` or `-`',
    },
  }),
  flow: text({
    pattern: {
      regex: FLOW_PATTERN,
      message: 'must be a snake_case identifier of at most 32 characters, such as `wizard`',
    },
  }),
  source: text({
    pattern: { regex: SOURCE_PATTERN, message: 'must be a lower-case label such as `app` or `benchmark`' },
  }),
  /** A coarse fingerprint computed by the host (see privacy/fingerprint). */
  fingerprint: text({
    pattern: { regex: /^[A-Za-z0-9_-]{8,64}$/, message: 'must be 8–64 letters, digits, `_` or `-`' },
  }),
} as const satisfies { readonly [K in keyof TelemetryEvent]?: FieldRule };

/** A PostgreSQL `integer` count or duration, ≥ 0. */
const count = integer(0, 2_147_483_647);

/**
 * The rules of the anatomy records' own fields (provider calls and phases), declared once like
 * {@link EVENT_FIELD_RULES} (whose `requestId`, `provider`, `model`, `errorCode`, `httpStatus`,
 * `durationMs` and `source` they share): the tracker checks with `check`, HTTP ingest builds its
 * `provider_call` and `attempt_phase` schemas from them.
 */
export const GENERATION_FIELD_RULES = {
  /** The call's order in its attempt: 0, 1, … */
  callIndex: integer(0, 10_000),
  status: text({ pattern: { regex: /^(success|failed)$/, message: 'must be `success` or `failed`' } }),
  /** The model that answered (a router may pick another). */
  responseModel: label,
  ttftMs: count,
  inputTokens: count,
  outputTokens: count,
  cachedInputTokens: count,
  reasoningTokens: count,
  /** The provider's own word: `stop`, `length`, `MAX_TOKENS`, `end_turn`, … */
  finishReason: text({
    pattern: {
      regex: /^[A-Za-z0-9_.:-]{1,32}$/,
      message: 'must be 1–32 letters, digits, `_`, `.`, `:` or `-`',
    },
  }),
  retryReason: text({
    pattern: {
      regex: RETRY_REASON_PATTERN,
      message: 'must be a snake_case reason of at most 32 characters, such as `timeout` or `fallback`',
    },
  }),
  phase: text({
    pattern: {
      regex: PHASE_PATTERN,
      message: 'must be a snake_case name of at most 32 characters, such as `parse`',
    },
  }),
} as const;
