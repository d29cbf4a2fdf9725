import type { ProviderCallInput } from '../tracker/index.js';
import { MODEL_PROFILES, type ModelProfile } from './profiles.js';
import type { Random } from './random.js';

/**
 * One provider call of a demo attempt, timed from the attempt's start: what `providerCall` takes
 * (declared once, in the tracker), with an offset in place of the call's index and start.
 */
export interface DemoCall extends Omit<ProviderCallInput, 'callIndex' | 'startedAt'> {
  offsetMs: number;
}

/** One phase of a demo attempt, timed from the attempt's start. */
export interface DemoPhase {
  name: string;
  offsetMs: number;
  durationMs: number;
}

/** Where a demo attempt's time went and what it cost: its calls and phases. */
export interface Anatomy {
  calls: DemoCall[];
  phases: DemoPhase[];
}

/** The attempt an anatomy is drawn for. */
export interface AnatomyInput {
  profile: ModelProfile;
  durationMs: number;
  errorCode?: string | undefined;
  /** Output tokens are multiplied by this (a prompt version that writes twice as much: 2). */
  outputFactor: number;
}

/** Failures raised before any provider is called (guards, the enqueue itself). */
const NO_CALL = new Set(['PROMPT_TOO_LONG', 'ASYNC_ENQUEUE_FAILED']);

const byModel = (model: string) => MODEL_PROFILES.find((p) => p.model === model)!;

/** The model a failed call falls back to: Gemini and OpenRouter to another provider, others retry. */
function fallbackOf(profile: ModelProfile): ModelProfile {
  if (profile.provider === 'gemini') return byModel('gpt-5.4');
  if (profile.provider === 'openrouter') return byModel('claude-sonnet-4.5');
  return profile;
}

const prefixOf = (profile: ModelProfile) => profile.provider.toUpperCase();

/**
 * Draws the calls and phases of one demo attempt whose outcome (duration, error code) is already
 * decided, so that they add up to it: `queue_wait`, then the provider calls (with retries and
 * fallbacks: a Gemini timeout retried on OpenAI, a parse failure repaired by a second call), then
 * `parse`, `normalize` and `persist` for a trip that was stored. Token counts and time to first
 * token follow the model's profile.
 */
export function anatomyOf(rng: Random, input: AnatomyInput): Anatomy {
  const { durationMs, errorCode } = input;
  if (errorCode === 'ASYNC_ENQUEUE_FAILED') return { calls: [], phases: [] };
  const phases: DemoPhase[] = [];
  const succeeded = errorCode === undefined;
  let queue = Math.round(Math.min(rng.logNormal(1_400, 0.8), durationMs * 0.2));
  let post = succeeded ? rng.int(80, 600) + rng.int(20, 200) + rng.int(40, 300) : 0;
  if (queue + post > durationMs * 0.5) {
    const scale = (durationMs * 0.5) / (queue + post);
    queue = Math.floor(queue * scale);
    post = Math.floor(post * scale);
  }
  phases.push({ name: 'queue_wait', offsetMs: 0, durationMs: queue });
  if (errorCode !== undefined && NO_CALL.has(errorCode)) return { calls: [], phases };
  const window = durationMs - queue - post;
  const calls = succeeded ? successCalls(rng, input, window) : failedCalls(rng, input, window);
  let at = queue;
  for (const call of calls) {
    call.offsetMs = at;
    at += call.durationMs;
  }
  phases.push({ name: 'provider_call', offsetMs: queue, durationMs: window });
  if (succeeded) {
    const parse = Math.round(post * 0.45);
    const normalize = Math.round(post * 0.2);
    phases.push({ name: 'parse', offsetMs: queue + window, durationMs: parse });
    phases.push({ name: 'normalize', offsetMs: queue + window + parse, durationMs: normalize });
    phases.push({
      name: 'persist',
      offsetMs: queue + window + parse + normalize,
      durationMs: post - parse - normalize,
    });
  }
  return { calls, phases };
}

/** A call that answered: tokens, time to first token, a finish reason. */
function answered(rng: Random, profile: ModelProfile, durationMs: number, outputFactor: number): DemoCall {
  const output = Math.round(rng.logNormal(profile.outputTokens * outputFactor, 0.3));
  return {
    offsetMs: 0,
    provider: profile.provider,
    model: profile.model,
    status: 'success',
    durationMs,
    httpStatus: 200,
    ttftMs: Math.round(Math.min(durationMs, rng.logNormal(profile.ttftMs, 0.4))),
    inputTokens: rng.int(2_600, 4_200),
    outputTokens: output,
    cachedInputTokens: rng.chance(profile.cacheHitRate) ? 2_048 : 0,
    reasoningTokens: Math.round(output * profile.reasoningShare),
    finishReason: 'stop',
  };
}

/** A call that timed out: no answer, no tokens. */
function timedOut(profile: ModelProfile, durationMs: number): DemoCall {
  return {
    offsetMs: 0,
    provider: profile.provider,
    model: profile.model,
    status: 'failed',
    durationMs,
    errorCode: `${prefixOf(profile)}_REQUEST_TIMEOUT`,
  };
}

/** A call whose answer did not parse: billed, then refused. */
function unparsable(rng: Random, profile: ModelProfile, durationMs: number, outputFactor: number): DemoCall {
  return {
    ...answered(rng, profile, durationMs, outputFactor),
    status: 'failed',
    errorCode: `${prefixOf(profile)}_PARSE_FAILED`,
  };
}

function successCalls(rng: Random, input: AnatomyInput, window: number): DemoCall[] {
  const { profile, outputFactor } = input;
  const draw = rng.next();
  if (draw < 0.015) {
    // The whole chain: a timeout, a parse failure on the retry, a success on the fallback model.
    const fallback = fallbackOf(profile);
    const a = Math.round(window * 0.4);
    const b = Math.round(window * 0.3);
    return [
      timedOut(profile, a),
      { ...unparsable(rng, profile, b, outputFactor), retryReason: 'timeout' },
      {
        ...answered(rng, fallback === profile ? byModel('gpt-5.4') : fallback, window - a - b, outputFactor),
        retryReason: 'fallback',
      },
    ];
  }
  if (draw < 0.055) {
    // A timeout, retried on the fallback model (Gemini → OpenAI) or on the same one.
    const fallback = fallbackOf(profile);
    const a = Math.round(window * 0.55);
    return [
      timedOut(profile, a),
      {
        ...answered(rng, fallback, window - a, outputFactor),
        retryReason: fallback === profile ? 'timeout' : 'fallback',
      },
    ];
  }
  if (draw < 0.085) {
    // A parse failure repaired by a second call to the same model.
    const a = Math.round(window * 0.6);
    return [
      unparsable(rng, profile, a, outputFactor),
      { ...answered(rng, profile, window - a, outputFactor), retryReason: 'parse_failed' },
    ];
  }
  return [answered(rng, profile, window, outputFactor)];
}

function failedCalls(rng: Random, input: AnatomyInput, window: number): DemoCall[] {
  const { profile, outputFactor } = input;
  const code = input.errorCode!;
  const call = answered(rng, profile, window, outputFactor);
  if (code.endsWith('_TIMEOUT')) return [timedOut(profile, window)];
  if (code.endsWith('_PARSE_FAILED')) {
    if (!rng.chance(0.4)) return [{ ...call, status: 'failed', errorCode: code }];
    const a = Math.round(window * 0.55);
    return [
      { ...unparsable(rng, profile, a, outputFactor), errorCode: code },
      { ...unparsable(rng, profile, window - a, outputFactor), errorCode: code, retryReason: 'parse_failed' },
    ];
  }
  if (code === 'RATE_LIMITED') return [{ ...timedOut(profile, window), errorCode: code, httpStatus: 429 }];
  if (code === 'OPENAI_REFUSAL')
    return [
      {
        ...call,
        status: 'failed',
        errorCode: code,
        outputTokens: rng.int(20, 80),
        reasoningTokens: 0,
        finishReason: 'content_filter',
      },
    ];
  if (code === 'OPENAI_RESPONSE_INCOMPLETE')
    return [{ ...call, status: 'failed', errorCode: code, outputTokens: 16_384, finishReason: 'length' }];
  // A provider or worker error: the request failed upstream, nothing billed.
  return [{ ...timedOut(profile, window), errorCode: code, httpStatus: rng.chance(0.5) ? 502 : 500 }];
}
