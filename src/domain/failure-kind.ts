import { codeVerdict } from './code-verdict.js';

/**
 * Failure kinds: the coarse reason a trip-creation attempt failed, stored in
 * `trip_creation_attempts.failure_kind` and used by dashboards and alert rules. `infrastructure`
 * is a failure of the app's own system (its configuration, queue, database, worker), told apart
 * from the provider's so that a broken deploy is not blamed on the AI provider.
 *
 * @example
 * classifyFailure({ errorCode: 'OPENAI_REQUEST_TIMEOUT' }); // 'timeout'
 */
export const FAILURE_KINDS = [
  'timeout',
  'abort',
  'quality',
  'provider',
  'infrastructure',
  'network',
  'validation',
  'rate_limited',
  'abandoned',
  'unknown',
] as const;

/** One of {@link FAILURE_KINDS}. */
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** True when `s` is one of {@link FAILURE_KINDS}. */
export function isFailureKind(s: unknown): s is FailureKind {
  return typeof s === 'string' && (FAILURE_KINDS as readonly string[]).includes(s);
}

/** What is known about a failure; every part is optional. */
export interface FailureEvidence {
  /** Error code of the app, e.g. `GEMINI_PARSE_FAILED` (any shape: it is normalised first). */
  errorCode?: string | null;
  /** HTTP status of the failed request, if any. */
  httpStatus?: number | null;
  /** Error message (only scanned for hints, never stored by this function). */
  message?: string | null;
}

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

/**
 * The kind an HTTP status implies, read in the light of the code: a 5xx is the provider's when the
 * code is a provider's (or there is no code), else the app's own (`infrastructure`: enqueue
 * failures carry the status of their database call); a 400/422 is bad input, except on a
 * provider's code, where it is the provider refusing our call.
 */
function kindFromStatus(
  status: number | null | undefined,
  code: 'provider' | 'own' | 'none',
): FailureKind | undefined {
  if (typeof status !== 'number' || !Number.isInteger(status)) return undefined;
  if (status === 408 || status === 504) return 'timeout';
  if (status === 499) return 'abort';
  if (status === 429) return 'rate_limited';
  if (status >= 500 && status <= 599) return code === 'own' ? 'infrastructure' : 'provider';
  if (status === 400 || status === 422) return code === 'provider' ? undefined : 'validation';
  return undefined;
}

function kindFromMessage(message: string | null | undefined): FailureKind | undefined {
  if (typeof message !== 'string' || message === '') return undefined;
  const lower = message.toLowerCase();
  return MESSAGE_HINTS.find(([hint]) => lower.includes(hint))?.[1];
}

/**
 * Maps what is known about a failure to a {@link FailureKind}, by a deliberate precedence:
 * 1. a code that names its cause decides (`*_TIMEOUT`, `*_ABORTED*`, `*_PARSE_FAILED`,
 *    `*_INVALID`, `*_CONFIG_MISSING`, …: see `code-verdict.ts`);
 * 2. else the HTTP status, read by whose code it is (a 429 behind `OPENROUTER_REQUEST_FAILED` is
 *    `rate_limited`; a 5xx behind `ASYNC_ENQUEUE_FAILED` is `infrastructure`, behind a provider's
 *    code `provider`);
 * 3. else hints in the message (`Failed to fetch` → `network`);
 * 4. else the code's default (`provider` for a provider's failure, `infrastructure` for a
 *    component of ours that failed), or `unknown`. Never throws.
 *
 * @example
 * classifyFailure({ errorCode: 'OPENROUTER_REQUEST_FAILED', httpStatus: 429 }); // 'rate_limited'
 * classifyFailure({ errorCode: 'TypeError', message: 'Failed to fetch' });      // 'network'
 */
export function classifyFailure(evidence: FailureEvidence): FailureKind {
  const verdict = codeVerdict(evidence?.errorCode);
  if (verdict?.decisive) return verdict.kind;
  const party = verdict === undefined ? 'none' : verdict.provider ? 'provider' : 'own';
  return (
    kindFromStatus(evidence?.httpStatus, party) ??
    kindFromMessage(evidence?.message) ??
    verdict?.kind ??
    'unknown'
  );
}
