import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AttemptPhaseRecord, ProviderCallRecord, TelemetryRecord } from '../domain/index.js';
import type { Sink } from './sink.js';
import { createTracker } from './tracker.js';

const T = Date.parse('2026-03-10T12:00:00Z');

function setup(options: { maxQueue?: number } = {}) {
  const records: TelemetryRecord[] = [];
  const sink: Sink = {
    async write(batch) {
      records.push(...batch);
      return { written: batch.length, duplicates: 0 };
    },
  };
  let now = T;
  const tracker = createTracker({ sink, now: () => now, ...options });
  const calls = () =>
    records.filter((r): r is ProviderCallRecord => 'kind' in r && r.kind === 'provider_call');
  const phases = () =>
    records.filter((r): r is AttemptPhaseRecord => 'kind' in r && r.kind === 'attempt_phase');
  return { tracker, calls, phases, advance: (ms: number) => (now += ms) };
}

describe('attempt anatomy on the tracker', () => {
  it('records calls with auto-incremented indexes, normalised codes and classified failures', async () => {
    const { tracker, calls } = setup();
    const attempt = tracker.startAttempt({
      requestId: 'r-1',
      anonSessionId: '0190A3C4-5B6D-7E8F-9A0B-1C2D3E4F5A6B',
    });
    attempt.providerCall({
      provider: 'gemini',
      model: 'g',
      status: 'failed',
      errorCode: 'TimeoutError',
      durationMs: 30_000,
    });
    attempt.providerCall({
      provider: 'openai',
      model: 'o',
      status: 'success',
      durationMs: 800,
      inputTokens: 5,
      retryReason: 'fallback',
    });
    attempt.succeed();
    attempt.providerCall({ provider: 'openai', model: 'o', status: 'success', durationMs: 10, callIndex: 7 });
    attempt.providerCall({ provider: 'openai', model: 'o', status: 'success', durationMs: 10 });
    await tracker.flush();
    expect(calls().map((c) => [c.callIndex, c.errorCode, c.failureKind, c.retryReason])).toEqual([
      [0, 'TIMEOUT_ERROR', 'timeout', undefined],
      [1, undefined, undefined, 'fallback'],
      [7, undefined, undefined, undefined],
      [8, undefined, undefined, undefined],
    ]);
    expect(calls()[0]!.occurredAt.getTime()).toBe(T - 30_000);
    expect(calls()[0]!.anonSessionId).toBe('0190a3c4-5b6d-7e8f-9a0b-1c2d3e4f5a6b');
  });

  it('time() records the phase around sync and async functions, returning and rethrowing untouched', async () => {
    const { tracker, phases, advance } = setup();
    const attempt = tracker.resumeAttempt('r-2');
    expect(attempt.time('parse', () => (advance(40), 42))).toBe(42);
    const boom = new Error('boom');
    expect(() =>
      attempt.time('normalize', () => {
        advance(5);
        throw boom;
      }),
    ).toThrow(boom);
    await expect(attempt.time('persist', async () => (advance(12), 'ok'))).resolves.toBe('ok');
    await expect(
      attempt.time('provider_call', async () => {
        advance(3);
        throw boom;
      }),
    ).rejects.toBe(boom);
    attempt.phase('queue_wait', new Date(T - 1_000), 1_000);
    await tracker.flush();
    expect(phases().map((p) => [p.phase, p.durationMs])).toEqual([
      ['parse', 40],
      ['normalize', 5],
      ['persist', 12],
      ['provider_call', 3],
      ['queue_wait', 1_000],
    ]);
  });

  it('never throws on any input; invalid calls and phases are counted and dropped', async () => {
    const { tracker, calls, phases } = setup();
    const attempt = tracker.startAttempt({ requestId: 'r-3' });
    await fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.anything(), (a, b, c) => {
        attempt.providerCall(a as never);
        attempt.phase(a as never, b as never, c as never);
      }),
      { numRuns: 300 },
    );
    attempt.phase('Not Snake', T, 5);
    attempt.providerCall({ provider: 'p', model: 'm', status: 'maybe' as never, durationMs: 1 });
    await tracker.flush();
    expect(calls()).toEqual([]);
    expect(phases()).toEqual([]);
    expect(tracker.stats().rejected).toBeGreaterThanOrEqual(602);
  });

  it('is bounded: a full queue drops, it does not grow', () => {
    const { tracker } = setup({ maxQueue: 10 });
    const attempt = tracker.resumeAttempt('r-4');
    for (let i = 0; i < 100; i++)
      attempt.providerCall({ provider: 'p', model: 'm', status: 'success', durationMs: 1 });
    expect(tracker.stats().queued).toBeLessThanOrEqual(10);
    expect(tracker.stats().dropped).toBe(90);
  });
});
