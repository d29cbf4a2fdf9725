import { EVENT_FIELD_RULES } from '../domain/index.js';
import type { KeptAttributes } from './allowlist.js';
import { normalizeProvider } from './provider-names.js';

/** GenAI operations that are a call to a model (not a tool run, an agent or an embedding). */
const INFERENCE_OPERATIONS = new Set(['chat', 'text_completion', 'generate_content', 'completion']);
/** The AI SDK's provider-level spans; `ai.generateText` and `ai.streamText` wrap them. */
const AI_SDK_CALL = /\.(doGenerate|doStream)$/;

/**
 * Whether a span is one provider call. The AI SDK wraps each provider call (`….doGenerate`,
 * `….doStream`) in an outer span with the same model and summed usage; only the inner one counts,
 * or every call would be counted twice. Other spans count when they carry a GenAI provider or
 * model and no operation other than inference.
 */
export function isProviderCall(a: KeptAttributes): boolean {
  const operationId = a['ai.operationId'];
  if (operationId !== undefined) return AI_SDK_CALL.test(operationId);
  const named =
    a['gen_ai.provider.name'] ??
    a['gen_ai.system'] ??
    a['gen_ai.request.model'] ??
    a['gen_ai.response.model'];
  if (named === undefined) return false;
  const operation = a['gen_ai.operation.name'];
  return operation === undefined || INFERENCE_OPERATIONS.has(operation);
}

/** The fields of a provider call read from a span's kept attributes (not its ids, times or status). */
export interface CallFields {
  provider: string;
  model: string;
  responseModel: string | null;
  errorType: string | null;
  httpStatus: number | null;
  ttftMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cachedInputTokens: number | null;
  reasoningTokens: number | null;
  finishReason: string | null;
}

const INT32_MAX = 2_147_483_647;
const FINISH_REASON = /^[A-Za-z0-9_.:-]{1,64}$/;

/**
 * The first value that passes `check`, else null. Fixed arity, not a rest parameter: this runs
 * eight times per span, and a rest parameter allocates an array each time.
 */
function firstValid<T>(
  check: (value: T) => boolean,
  a: T | undefined,
  b?: T | undefined,
  c?: T | undefined,
  d?: T | undefined,
): T | null {
  if (a !== undefined && check(a)) return a;
  if (b !== undefined && check(b)) return b;
  if (c !== undefined && check(c)) return c;
  if (d !== undefined && check(d)) return d;
  return null;
}

const isLabel = (v: string) => EVENT_FIELD_RULES.model.check(v);
const isCount = (v: number) => Number.isSafeInteger(v) && v >= 0 && v <= INT32_MAX;

/**
 * Reads a call from kept attributes. Precedence, field by field: the current GenAI names, then the
 * previous ones, then the AI SDK's `ai.*` (which the AI SDK sends beside `gen_ai.*` on its call
 * spans, and alone for cache and reasoning tokens). A value that fails its rule is skipped.
 */
export function readCallFields(a: KeptAttributes): CallFields {
  const responseModel = firstValid(isLabel, a['gen_ai.response.model'], a['ai.response.model']);
  const providerName = firstValid(
    isLabel,
    a['gen_ai.provider.name'],
    a['gen_ai.system'],
    a['ai.model.provider'],
  );
  const ttftSeconds = a['gen_ai.response.time_to_first_chunk'];
  const ttft = ttftSeconds !== undefined ? ttftSeconds * 1000 : a['ai.response.msToFirstChunk'];
  const httpStatus = a['http.response.status_code'];
  return {
    provider: providerName === null ? 'unknown' : normalizeProvider(providerName),
    model: firstValid(isLabel, a['gen_ai.request.model'], a['ai.model.id']) ?? responseModel ?? 'unknown',
    responseModel,
    errorType: a['error.type'] ?? null,
    httpStatus:
      httpStatus !== undefined && EVENT_FIELD_RULES.httpStatus.check(httpStatus) ? httpStatus : null,
    ttftMs: ttft !== undefined && ttft <= INT32_MAX ? Math.round(ttft) : null,
    inputTokens: firstValid(
      isCount,
      a['gen_ai.usage.input_tokens'],
      a['gen_ai.usage.prompt_tokens'],
      a['ai.usage.inputTokens'],
      a['ai.usage.promptTokens'],
    ),
    outputTokens: firstValid(
      isCount,
      a['gen_ai.usage.output_tokens'],
      a['gen_ai.usage.completion_tokens'],
      a['ai.usage.outputTokens'],
      a['ai.usage.completionTokens'],
    ),
    cachedInputTokens: firstValid(
      isCount,
      a['gen_ai.usage.cache_read.input_tokens'],
      a['ai.usage.inputTokenDetails.cacheReadTokens'],
      a['ai.usage.cachedInputTokens'],
    ),
    reasoningTokens: firstValid(
      isCount,
      a['gen_ai.usage.reasoning.output_tokens'],
      a['ai.usage.outputTokenDetails.reasoningTokens'],
      a['ai.usage.reasoningTokens'],
    ),
    finishReason: firstValid(
      (v: string) => FINISH_REASON.test(v),
      a['gen_ai.response.finish_reasons']?.[0],
      a['ai.response.finishReason'],
    ),
  };
}
