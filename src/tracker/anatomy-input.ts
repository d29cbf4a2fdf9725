import { EVENT_FIELD_RULES, GENERATION_FIELD_RULES } from '../domain/index.js';
import { validator } from './attempt-input.js';

/**
 * What `attempt.providerCall` accepts: one call the attempt made to an AI provider. Token counts
 * as the provider reports them: `inputTokens` includes the cached ones and `outputTokens` the
 * reasoning ones (see docs/generation-anatomy.md). No prompt or response text is taken.
 */
export interface ProviderCallInput {
  /** 1–128 characters, e.g. `gemini`, `openai`, `openrouter`. */
  provider: string;
  /** The model requested, 1–128 characters. */
  model: string;
  /** The model that answered, when the provider says (a router may pick another). */
  responseModel?: string;
  status: 'success' | 'failed';
  /** Normalised like `fail()`'s (`TypeError` → `TYPE_ERROR`); the failure kind is classified from it. */
  errorCode?: string;
  /** 100–599. */
  httpStatus?: number;
  durationMs: number;
  /** Time to first token, ms. */
  ttftMs?: number;
  inputTokens?: number;
  outputTokens?: number;
  cachedInputTokens?: number;
  reasoningTokens?: number;
  /** The provider's word: `stop`, `length`, `MAX_TOKENS`, … */
  finishReason?: string;
  /** Why this call was made after another: `timeout`, `rate_limited`, `parse_failed`, `fallback`, … */
  retryReason?: string;
  /** The call's order in the attempt (default: the handle's next, 0, 1, …). */
  callIndex?: number;
  /** When the call started (default: now minus `durationMs`); the bounds of `startAttempt`'s apply. */
  startedAt?: Date | string | number;
}

const e = EVENT_FIELD_RULES;
const g = GENERATION_FIELD_RULES;

/** The fields of a provider call that fail their checks, or `undefined`. */
export const invalidProviderCallFields = validator<ProviderCallInput>(
  {
    provider: e.provider,
    model: e.model,
    responseModel: g.responseModel,
    status: g.status,
    errorCode: e.errorCode,
    httpStatus: e.httpStatus,
    durationMs: e.durationMs,
    ttftMs: g.ttftMs,
    inputTokens: g.inputTokens,
    outputTokens: g.outputTokens,
    cachedInputTokens: g.cachedInputTokens,
    reasoningTokens: g.reasoningTokens,
    finishReason: g.finishReason,
    retryReason: g.retryReason,
    callIndex: g.callIndex,
    startedAt: null, // bounded by the tracker: out of bounds, the call time minus the duration
  },
  ['provider', 'model', 'status', 'durationMs'],
);

/** The fields of a phase that fail their checks, or `undefined`. */
export const invalidPhaseFields = validator<{ phase: string; durationMs: number }>(
  { phase: g.phase, durationMs: e.durationMs },
  ['phase', 'durationMs'],
);
