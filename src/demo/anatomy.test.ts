import { describe, expect, it } from 'vitest';
import { type Anatomy, anatomyOf } from './anatomy.js';
import { MODEL_PROFILES } from './profiles.js';
import { Random } from './random.js';

const gemini = MODEL_PROFILES.find((p) => p.provider === 'gemini')!;
const openai = MODEL_PROFILES.find((p) => p.model === 'gpt-5.4')!;

function draw(n: number, errorCode?: string, outputFactor = 1, profile = gemini): Anatomy[] {
  const rng = new Random(11);
  return Array.from({ length: n }, () =>
    anatomyOf(rng, { profile, durationMs: 40_000, errorCode, outputFactor }),
  );
}

describe('anatomyOf', () => {
  it('splits a stored trip into queue wait, provider calls, parse, normalize and persist that add up to its duration', () => {
    for (const { calls, phases } of draw(500)) {
      expect(phases.map((p) => p.name)).toEqual([
        'queue_wait',
        'provider_call',
        'parse',
        'normalize',
        'persist',
      ]);
      expect(phases.reduce((sum, p) => sum + p.durationMs, 0)).toBe(40_000);
      for (let i = 1; i < phases.length; i++)
        expect(phases[i]!.offsetMs).toBe(phases[i - 1]!.offsetMs + phases[i - 1]!.durationMs);
      const window = phases[1]!;
      expect(calls.reduce((sum, c) => sum + c.durationMs, 0)).toBe(window.durationMs);
      expect(calls[0]!.offsetMs).toBe(window.offsetMs);
      expect(calls.at(-1)!.status).toBe('success');
      for (const call of calls.slice(1))
        expect(call.retryReason).toMatch(/^(timeout|parse_failed|fallback)$/);
    }
  });

  it('retries a Gemini timeout on OpenAI, repairs parse failures, and sometimes needs all three', () => {
    const chains = draw(2_000).map((a) => a.calls);
    const fallbacks = chains.filter((c) => c.length === 2 && c[0]!.errorCode === 'GEMINI_REQUEST_TIMEOUT');
    expect(fallbacks.length).toBeGreaterThan(0);
    for (const [first, second] of fallbacks) {
      expect(first!.status).toBe('failed');
      expect(first!.outputTokens).toBeUndefined();
      expect(second).toMatchObject({
        provider: 'openai',
        model: 'gpt-5.4',
        retryReason: 'fallback',
        status: 'success',
      });
    }
    expect(chains.some((c) => c.length === 2 && c[1]!.retryReason === 'parse_failed')).toBe(true);
    const three = chains.filter((c) => c.length === 3);
    expect(three.length).toBeGreaterThan(0);
    expect(three[0]!.map((c) => c.retryReason ?? null)).toEqual([null, 'timeout', 'fallback']);
    expect(three[0]!.map((c) => c.status)).toEqual(['failed', 'failed', 'success']);
  });

  it('gives realistic tokens: reasoning a share of output, time to first token within the call', () => {
    const answered = draw(300, undefined, 1, openai).flatMap((a) =>
      a.calls.filter((c) => c.status === 'success'),
    );
    for (const call of answered) {
      expect(call.inputTokens).toBeGreaterThanOrEqual(2_600);
      expect(call.reasoningTokens).toBe(Math.round(call.outputTokens! * openai.reasoningShare));
      expect(call.ttftMs).toBeLessThanOrEqual(call.durationMs);
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const output = median(answered.map((c) => c.outputTokens!));
    expect(output).toBeGreaterThan(openai.outputTokens * 0.8);
    expect(output).toBeLessThan(openai.outputTokens * 1.25);
  });

  it('doubles output tokens for the costly prompt version', () => {
    const sum = (factor: number) =>
      draw(400, undefined, factor, openai)
        .flatMap((a) => a.calls)
        .reduce((s, c) => s + (c.outputTokens ?? 0), 0);
    expect(sum(2) / sum(1)).toBeGreaterThan(1.8);
    expect(sum(2) / sum(1)).toBeLessThan(2.2);
  });

  it('fails the way the error code says: a timeout has no tokens, a rate limit is a 429, an enqueue failure calls nothing', () => {
    for (const a of draw(50, 'GEMINI_REQUEST_TIMEOUT')) {
      expect(a.calls).toHaveLength(1);
      expect(a.calls[0]).toMatchObject({
        status: 'failed',
        errorCode: 'GEMINI_REQUEST_TIMEOUT',
        durationMs: a.phases[1]!.durationMs,
      });
      expect(a.phases.map((p) => p.name)).toEqual(['queue_wait', 'provider_call']);
    }
    expect(draw(5, 'RATE_LIMITED')[0]!.calls[0]).toMatchObject({ httpStatus: 429, status: 'failed' });
    expect(draw(5, 'ASYNC_ENQUEUE_FAILED')[0]).toEqual({ calls: [], phases: [] });
    expect(draw(5, 'PROMPT_TOO_LONG')[0]!.calls).toEqual([]);
    for (const a of draw(100, 'GEMINI_PARSE_FAILED'))
      for (const call of a.calls)
        expect(call).toMatchObject({ status: 'failed', errorCode: 'GEMINI_PARSE_FAILED' });
  });
});
