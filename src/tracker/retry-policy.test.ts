import { describe, expect, it } from 'vitest';
import { Random } from '../demo/random.js';
import { classifyFailure, outcomeOfStatus, RetryPolicy } from './retry-policy.js';
import { TransientSinkError } from './sink.js';

/** A seeded source in [0, 1), so a run of jittered delays can be replayed. */
function seeded(seed: number): () => number {
  const random = new Random(seed);
  return () => random.next();
}

const coded = (code: string, extra: object = {}) => Object.assign(new Error(code), { code }, extra);

describe('classifyFailure', () => {
  it.each([
    [
      'a transient error',
      new TransientSinkError('down', 'ECONNREFUSED'),
      { kind: 'retry', code: 'ECONNREFUSED' },
    ],
    [
      'a transient error with a server-given wait',
      new TransientSinkError('busy', 'HTTP_429', 3_000),
      { kind: 'retry', code: 'HTTP_429', retryAfterMs: 3_000 },
    ],
    [
      'a refusal marked too large',
      coded('BODY_TOO_LARGE', { tooLarge: true }),
      { kind: 'too_large', code: 'BODY_TOO_LARGE' },
    ],
    [
      'a refusal not too large',
      coded('INVALID_EVENTS', { tooLarge: false }),
      { kind: 'refused', code: 'INVALID_EVENTS' },
    ],
    ['a database refusal', coded('22P02'), { kind: 'refused', code: '22P02' }],
    ['a truthy but not true tooLarge', coded('X', { tooLarge: 'yes' }), { kind: 'refused', code: 'X' }],
    ['something not an Error', 'boom', { kind: 'refused', code: 'unknown' }],
    ['undefined', undefined, { kind: 'refused', code: 'unknown' }],
  ])('%s', (_, error, expected) => {
    expect(classifyFailure(error)).toEqual(expected);
  });
});

describe('outcomeOfStatus', () => {
  it.each([
    [[200, 201, 202, 204, 299], 'ok'],
    [[408, 429, 500, 502, 503, 504, 599], 'retry'],
    [[413], 'too_large'],
    [[300, 400, 401, 403, 404, 409, 422], 'refused'],
  ] as const)('%j is %s', (statuses, kind) => {
    for (const status of statuses) expect(outcomeOfStatus(status)).toBe(kind);
  });
});

describe('RetryPolicy.delay', () => {
  it('replays the same jittered delays from the same seed, each within [0.5, 1] × the capped exponential', () => {
    const a = new RetryPolicy({}, {}, seeded(42));
    const b = new RetryPolicy({}, {}, seeded(42));
    const run = (policy: RetryPolicy) => Array.from({ length: 12 }, (_, attempt) => policy.delay(attempt));
    const delays = run(a);
    expect(run(b)).toEqual(delays);
    delays.forEach((delay, attempt) => {
      const ceiling = Math.min(10_000, 100 * 2 ** attempt);
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    });
    expect(new Set(delays.slice(0, 4)).size).toBe(4); // jittered, not a fixed ladder
    expect(run(new RetryPolicy({}, {}, seeded(7)))).not.toEqual(delays);
  });

  it('takes each field left out from the writer defaults, and the tracker backoff beyond them', () => {
    const top = () => 0.999_999_9;
    const ingest = new RetryPolicy({}, { baseMs: 50, maxMs: 2_000 }, top);
    expect([0, 1, 2, 5, 6, 50].map((n) => ingest.delay(n))).toEqual([50, 100, 200, 1_600, 2_000, 2_000]);
    const faster = new RetryPolicy({ baseMs: 10 }, { baseMs: 50, maxMs: 2_000 }, top);
    expect([0, 20].map((n) => faster.delay(n))).toEqual([10, 2_000]);
    const tracker = new RetryPolicy(undefined, undefined, top);
    expect([0, 20].map((n) => tracker.delay(n))).toEqual([100, 10_000]);
  });

  it('waits at least a server-given Retry-After, cut to maxRetryAfterMs', () => {
    const policy = new RetryPolicy({}, {}, () => 0);
    expect(policy.delay(0)).toBe(50);
    expect(policy.delay(0, 3_000)).toBe(3_000);
    expect(policy.delay(0, 0)).toBe(50); // the backoff still applies under a shorter hint
    expect(policy.delay(12, 1_000)).toBe(5_000);
    expect(policy.delay(0, 86_400_000)).toBe(60_000);
    expect(new RetryPolicy({ maxRetryAfterMs: 1_000 }, {}, () => 0).delay(0, 30_000)).toBe(1_000);
  });
});

describe('RetryPolicy.retrying', () => {
  /** A write that fails with `failures` in turn, then succeeds; and a sleep that records. */
  function scripted(failures: unknown[]) {
    const slept: number[] = [];
    let calls = 0;
    const write = async () => {
      const failure = failures[calls++];
      if (failure !== undefined) throw failure;
    };
    return { write, slept, sleep: async (ms: number) => void slept.push(ms), calls: () => calls };
  }

  it('retries transient failures with the policy delays until the write passes', async () => {
    const { write, slept, sleep, calls } = scripted([
      new TransientSinkError('down', 'ECONNREFUSED'),
      new TransientSinkError('down', 'ECONNREFUSED'),
      new TransientSinkError('busy', 'HTTP_503', 4_000),
    ]);
    const seen: Array<[string, number]> = [];
    const policy = new RetryPolicy({ baseMs: 50, maxMs: 2_000 }, {}, seeded(1));
    const written = await policy.retrying(write, {
      sleep,
      onRetry: ({ code }, delay) => {
        seen.push([code, delay]);
        return true;
      },
    });
    expect(written).toBe(true);
    expect(calls()).toBe(4);
    const replay = new RetryPolicy({ baseMs: 50, maxMs: 2_000 }, {}, seeded(1));
    expect(slept).toEqual([replay.delay(0), replay.delay(1), 4_000]);
    expect(seen.map(([code]) => code)).toEqual(['ECONNREFUSED', 'ECONNREFUSED', 'HTTP_503']);
    expect(seen.map(([, delay]) => delay)).toEqual(slept);
  });

  it('rethrows a refusal as it came, without waiting', async () => {
    const refusal = coded('22P02');
    const { write, slept, sleep } = scripted([new TransientSinkError('down', 'ECONNRESET'), refusal]);
    const policy = new RetryPolicy({}, {}, () => 0);
    await expect(policy.retrying(write, { sleep, onRetry: () => true })).rejects.toBe(refusal);
    expect(slept).toEqual([50]);
  });

  it('stops when onRetry gives up or proceed says no', async () => {
    const down = new TransientSinkError('down', 'ECONNREFUSED');
    const policy = new RetryPolicy({}, {}, () => 0);
    const first = scripted([down, down, down]);
    expect(await policy.retrying(first.write, { sleep: first.sleep, onRetry: () => false })).toBe(false);
    expect(first.calls()).toBe(1);
    expect(first.slept).toEqual([]);

    let go = 2;
    const second = scripted([down, down, down]);
    const proceed = () => go-- > 0;
    expect(await policy.retrying(second.write, { sleep: second.sleep, proceed, onRetry: () => true })).toBe(
      false,
    );
    expect(second.calls()).toBe(2);
  });
});
