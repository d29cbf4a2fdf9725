/** How a kept attribute's value must look; a value of another type is dropped like an unknown key. */
export type KeptKind = 'string' | 'int' | 'number' | 'strings';

/**
 * The only span attributes the mapping may read: every other attribute (prompts, completions,
 * messages, tool arguments, headers, metadata) is dropped while the span is decoded, before
 * anything is kept or logged, and only its key is counted. Each key here holds an identifier, a
 * count or a duration, never text of a generation.
 */
export const KEPT_ATTRIBUTES = {
  // The attempt an app attaches its spans to (a span attribute, or baggage copied onto spans), and
  // the same through the AI SDK's `experimental_telemetry.metadata`.
  'tripmeter.request_id': 'string',
  'ai.telemetry.metadata.tripmeter.request_id': 'string',
  // OpenTelemetry GenAI semantic conventions, current names.
  'gen_ai.operation.name': 'string',
  'gen_ai.provider.name': 'string',
  'gen_ai.request.model': 'string',
  'gen_ai.response.model': 'string',
  'gen_ai.usage.input_tokens': 'int',
  'gen_ai.usage.output_tokens': 'int',
  'gen_ai.usage.cache_read.input_tokens': 'int',
  'gen_ai.usage.reasoning.output_tokens': 'int',
  'gen_ai.response.finish_reasons': 'strings',
  /** Seconds, a double. */
  'gen_ai.response.time_to_first_chunk': 'number',
  'error.type': 'string',
  'http.response.status_code': 'int',
  // GenAI semantic conventions, previous names.
  'gen_ai.system': 'string',
  'gen_ai.usage.prompt_tokens': 'int',
  'gen_ai.usage.completion_tokens': 'int',
  // The Vercel AI SDK (`experimental_telemetry`).
  'ai.operationId': 'string',
  'ai.model.id': 'string',
  'ai.model.provider': 'string',
  'ai.response.model': 'string',
  'ai.response.finishReason': 'string',
  /** Milliseconds. */
  'ai.response.msToFirstChunk': 'number',
  'ai.usage.inputTokens': 'int',
  'ai.usage.outputTokens': 'int',
  'ai.usage.promptTokens': 'int',
  'ai.usage.completionTokens': 'int',
  'ai.usage.cachedInputTokens': 'int',
  'ai.usage.reasoningTokens': 'int',
  'ai.usage.inputTokenDetails.cacheReadTokens': 'int',
  'ai.usage.outputTokenDetails.reasoningTokens': 'int',
} as const satisfies Record<string, KeptKind>;

/** A key of {@link KEPT_ATTRIBUTES}. */
export type KeptKey = keyof typeof KEPT_ATTRIBUTES;

/** The kept attributes of one span: allowlisted keys with values of their kind. */
export type KeptAttributes = { -readonly [K in KeptKey]?: KeptValueOf<(typeof KEPT_ATTRIBUTES)[K]> };

type KeptValueOf<K extends KeptKind> = K extends 'string'
  ? string
  : K extends 'strings'
    ? readonly string[]
    : number;

/** Longest kept string: identifiers are short, and a long value is more likely text than a name. */
export const MAX_KEPT_STRING = 256;
/** Most entries of a kept string array (`gen_ai.response.finish_reasons`). */
export const MAX_KEPT_STRINGS = 16;

/** An allowlisted key as the allowlist spells it, and its kind. */
export interface KeptEntry {
  key: KeptKey;
  kind: KeptKind;
}

const ENTRIES: ReadonlyMap<string, KeptEntry> = new Map(
  Object.entries(KEPT_ATTRIBUTES).map(([key, kind]) => [key, Object.freeze({ key: key as KeptKey, kind })]),
);

/**
 * The entry of an allowlisted key, or undefined for a key that is dropped. Its `key` is the
 * allowlist's own string: storing under it, not under the string just decoded from the wire,
 * spares V8 interning a fresh string per attribute (a twentieth of the decode of a GenAI span).
 */
export function keptEntry(key: string): KeptEntry | undefined {
  return ENTRIES.get(key);
}
