/**
 * Failure kinds: the coarse reason a trip-creation attempt failed, stored in
 * `trip_creation_attempts.failure_kind` and used by dashboards and alert rules.
 *
 * @example
 * classifyFailure({ errorCode: 'OPENAI_REQUEST_TIMEOUT' }); // 'timeout'
 */
export const FAILURE_KINDS = [
  'timeout',
  'abort',
  'quality',
  'provider',
  'network',
  'validation',
  'rate_limited',
  'abandoned',
  'unknown',
] as const;

/** One of {@link FAILURE_KINDS}. */
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** Stable error codes are UPPER_SNAKE identifiers, e.g. `PROMPT_TOO_LONG` (at most 64 characters). */
export const ERROR_CODE_PATTERN = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

/** Longest accepted error code. */
export const ERROR_CODE_MAX_LENGTH = 64;

/** True when `s` is a well-formed error code (see {@link ERROR_CODE_PATTERN}). */
export function isErrorCode(s: unknown): s is string {
  return typeof s === 'string' && s.length <= ERROR_CODE_MAX_LENGTH && ERROR_CODE_PATTERN.test(s);
}

/** True when `s` is one of {@link FAILURE_KINDS}. */
export function isFailureKind(s: unknown): s is FailureKind {
  return typeof s === 'string' && (FAILURE_KINDS as readonly string[]).includes(s);
}

/** What is known about a failure; every part is optional. */
export interface FailureEvidence {
  /** Stable error code of the app, e.g. `GEMINI_PARSE_FAILED`. */
  errorCode?: string | null;
  /** HTTP status of the failed request, if any. */
  httpStatus?: number | null;
  /** Error message (only scanned for hints, never stored by this function). */
  message?: string | null;
}

/** Error codes of the travel app's pipeline (test/fixtures/error-codes.json), minus the provider pattern. */
const KNOWN_CODES: Readonly<Record<string, FailureKind>> = {
  OPENAI_REFUSAL: 'quality',
  OPENAI_RESPONSE_INCOMPLETE: 'quality',
  MODEL_NOT_ALLOWED: 'provider',
  PROVIDER_NOT_SUPPORTED: 'provider',
  ASYNC_WORKER_PAYLOAD_INVALID: 'validation',
  ASYNC_WORKER_TRIP_NOT_FOUND: 'unknown',
  ASYNC_WORKER_ATTEMPT_SUPERSEDED: 'abort',
  ASYNC_WORKER_PROVIDER_FAILED: 'provider',
  ASYNC_WORKER_TRIP_UPSERT_FAILED: 'unknown',
  ASYNC_WORKER_TRIP_VERSION_WRITE_FAILED: 'unknown',
  ASYNC_WORKER_UNKNOWN_ERROR: 'unknown',
  ASYNC_WORKER_JOB_MISSING: 'unknown',
  ASYNC_ENQUEUE_FAILED: 'unknown',
  ASYNC_ENQUEUE_PAYLOAD_INVALID: 'validation',
  ASYNC_ENQUEUE_CONFIG_MISSING: 'unknown',
  ASYNC_ENQUEUE_RESPONSE_INVALID: 'unknown',
  PROMPT_REQUIRED: 'validation',
  PROMPT_TOO_LONG: 'validation',
  AUTH_TOKEN_INVALID: 'validation',
  RATE_LIMITED: 'rate_limited',
  AI_GENERATION_ABORT_BEACON: 'abort',
  AI_GENERATION_UNEXPECTED_ERROR: 'unknown',
  ATTEMPT_ABANDONED: 'abandoned',
};

/** `{GEMINI|OPENAI|ANTHROPIC|OPENROUTER}_{REQUEST_TIMEOUT|REQUEST_FAILED|PARSE_FAILED|KEY_MISSING}`. */
const PROVIDER_RUNTIME =
  /^(?:GEMINI|OPENAI|ANTHROPIC|OPENROUTER)_(REQUEST_TIMEOUT|REQUEST_FAILED|PARSE_FAILED|KEY_MISSING)$/;
const PROVIDER_RUNTIME_KINDS: Readonly<Record<string, FailureKind>> = {
  REQUEST_TIMEOUT: 'timeout',
  REQUEST_FAILED: 'provider',
  PARSE_FAILED: 'quality',
  KEY_MISSING: 'provider',
};

/** Ordered: the first substring found wins (so "aborted due to timeout" is a timeout). */
const MESSAGE_HINTS: ReadonlyArray<readonly [string, FailureKind]> = [
  ['timeout', 'timeout'],
  ['timed out', 'timeout'],
  ['abort', 'abort'],
  ['parse', 'quality'],
  ['refusal', 'quality'],
  ['incomplete', 'quality'],
  ['failed to fetch', 'network'],
  ['network', 'network'],
  ['econnreset', 'network'],
  ['econnrefused', 'network'],
];

function kindFromCode(code: string | null | undefined): FailureKind | undefined {
  if (!isErrorCode(code)) return undefined;
  const known = KNOWN_CODES[code];
  if (known) return known;
  const runtime = PROVIDER_RUNTIME.exec(code)?.[1];
  if (runtime) return PROVIDER_RUNTIME_KINDS[runtime];
  if (code.endsWith('_TIMEOUT')) return 'timeout';
  if (code.endsWith('_RATE_LIMITED')) return 'rate_limited';
  return undefined;
}

function kindFromStatus(status: number | null | undefined): FailureKind | undefined {
  if (typeof status !== 'number' || !Number.isInteger(status)) return undefined;
  if (status === 408 || status === 504) return 'timeout';
  if (status === 499) return 'abort';
  if (status === 429) return 'rate_limited';
  if (status >= 500 && status <= 599) return 'provider';
  if (status === 400 || status === 422) return 'validation';
  return undefined;
}

function kindFromMessage(message: string | null | undefined): FailureKind | undefined {
  if (typeof message !== 'string' || message === '') return undefined;
  const lower = message.toLowerCase();
  return MESSAGE_HINTS.find(([hint]) => lower.includes(hint))?.[1];
}

/**
 * Maps what is known about a failure to a {@link FailureKind}: a known error code first, then
 * the HTTP status, then hints in the message; `unknown` when nothing matches. A code that is
 * known to mean `unknown` (e.g. `ASYNC_WORKER_UNKNOWN_ERROR`) still lets the status and message
 * refine it. Never throws.
 *
 * @example
 * classifyFailure({ httpStatus: 429 });                     // 'rate_limited'
 * classifyFailure({ message: 'TypeError: Failed to fetch' }); // 'network'
 */
export function classifyFailure(evidence: FailureEvidence): FailureKind {
  const fromCode = kindFromCode(evidence?.errorCode);
  if (fromCode && fromCode !== 'unknown') return fromCode;
  return kindFromStatus(evidence?.httpStatus) ?? kindFromMessage(evidence?.message) ?? 'unknown';
}
