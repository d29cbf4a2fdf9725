import { isErrorCode, normaliseErrorCode } from './error-code.js';
import type { FailureKind } from './failure-kind.js';

/**
 * What an error code says about a failure: a kind, whether that kind is `decisive` (the code names
 * the reason: status and message cannot change it) or only a default (the code names who failed,
 * not why: `*_REQUEST_FAILED`, `*_UNKNOWN_ERROR`), and whether the provider is the party that failed.
 */
export interface CodeVerdict {
  kind: FailureKind;
  decisive: boolean;
  provider: boolean;
}

/** Codes of the AI providers and of the model call: their failures are the provider's. */
const PROVIDER_PARTY =
  /^_(?:GEMINI|GOOGLE|VERTEX|OPENAI|AZURE|ANTHROPIC|CLAUDE|OPENROUTER|MISTRAL|COHERE|GROQ|DEEPSEEK|XAI|BEDROCK|OLLAMA)_|_(?:PROVIDER|UPSTREAM|MODEL|LLM)_/;

/**
 * Ordered rules on the code wrapped in underscores (`_OPENAI_REQUEST_TIMEOUT_`), each a segment
 * match: the first that matches decides. A code names its cause more precisely than a status or a
 * message does, so these come first; the order among them settles codes with two causes (a timeout
 * that aborted is a timeout, as in the message hints). `provider` rules apply only to provider codes,
 * `own` only to the others.
 */
const RULES: ReadonlyArray<{
  readonly test: RegExp;
  readonly kind: FailureKind;
  readonly decisive: boolean;
  readonly party?: 'provider' | 'own';
}> = [
  { test: /_ABANDONED_/, kind: 'abandoned', decisive: true },
  { test: /_(?:TIMEOUT|TIMED_OUT|DEADLINE_EXCEEDED)_/, kind: 'timeout', decisive: true },
  { test: /_(?:ABORT|ABORTED|CANCELLED|CANCELED|SUPERSEDED)_/, kind: 'abort', decisive: true },
  {
    test: /_(?:RATE_LIMITED|RATE_LIMIT|TOO_MANY_REQUESTS|QUOTA_EXCEEDED)_/,
    kind: 'rate_limited',
    decisive: true,
  },
  { test: /_(?:NETWORK|ECONNRESET|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|DNS)_/, kind: 'network', decisive: true },
  // The deployment's own settings and credentials (a missing API key included): ours to fix.
  {
    test: /_(?:CONFIG|CONFIGURATION|ENV|SECRET|KEY)_(?:MISSING|INVALID|NOT_SET|UNSET)_/,
    kind: 'infrastructure',
    decisive: true,
  },
  { test: /_(?:PARSE|REFUSAL|INCOMPLETE|UNPARSABLE)_/, kind: 'quality', decisive: true },
  {
    test: /_(?:RESPONSE|OUTPUT|COMPLETION)_(?:INVALID|MISSING|EMPTY)_/,
    kind: 'quality',
    decisive: true,
    party: 'provider',
  },
  // The caller's sign-in: the request was refused before any work, like bad input.
  {
    test: /_(?:AUTH|UNAUTHORIZED|UNAUTHENTICATED|FORBIDDEN|JWT)_|_(?:TOKEN|SESSION)_(?:INVALID|EXPIRED|MISSING)_/,
    kind: 'validation',
    decisive: true,
    party: 'own',
  },
  // Our own answer or state gone wrong, not the caller's input.
  {
    test: /_(?:RESPONSE|OUTPUT)_(?:INVALID|MISSING|EMPTY)_/,
    kind: 'infrastructure',
    decisive: false,
    party: 'own',
  },
  {
    test: /_(?:JOB|TRIP|ROW|RECORD|ATTEMPT)_(?:MISSING|INVALID|NOT_FOUND)_/,
    kind: 'unknown',
    decisive: false,
  },
  {
    test: /_(?:INVALID|MISSING|REQUIRED|TOO_LONG|TOO_SHORT|TOO_LARGE|TOO_BIG|MALFORMED)_/,
    kind: 'validation',
    decisive: true,
  },
  // A component of ours that failed: the enqueue, the queue, a database write.
  {
    test: /_(?:FAILED|FAILURE|WRITE|UPSERT|INSERT|DB|DATABASE|QUEUE|ENQUEUE|STORAGE|CRASHED|UNAVAILABLE)_/,
    kind: 'infrastructure',
    decisive: false,
    party: 'own',
  },
];

/**
 * The verdict of an error code (normalised first, so `AbortError` reads as `ABORT_ERROR`), or
 * `undefined` without one. A code that no rule matches is the app's own, of kind `unknown`.
 *
 * @example
 * codeVerdict('OPENROUTER_REQUEST_FAILED'); // { kind: 'provider', decisive: false, provider: true }
 * codeVerdict('ASYNC_ENQUEUE_FAILED');      // { kind: 'infrastructure', decisive: false, provider: false }
 */
export function codeVerdict(raw: string | null | undefined): CodeVerdict | undefined {
  if (typeof raw !== 'string') return undefined;
  const code = isErrorCode(raw) ? raw : normaliseErrorCode(raw).code;
  const wrapped = `_${code}_`;
  const provider = PROVIDER_PARTY.test(wrapped);
  const party = provider ? 'provider' : 'own';
  for (const rule of RULES) {
    if (rule.party !== undefined && rule.party !== party) continue;
    if (rule.test.test(wrapped)) return { kind: rule.kind, decisive: rule.decisive, provider };
  }
  return { kind: provider ? 'provider' : 'unknown', decisive: false, provider };
}
