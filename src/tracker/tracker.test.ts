import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../domain/index.js';
import type { Sink } from './sink.js';
import { createTracker } from './tracker.js';

const anon = '0190a3c4-5b6d-7e8f-9a0b-1c2d3e4f5a6b';

function memorySink() {
  const events: TelemetryEvent[] = [];
  const sink: Sink = {
    async write(batch) {
      events.push(...(batch as TelemetryEvent[]));
      return { written: batch.length, duplicates: 0 };
    },
  };
  return { sink, events };
}

describe('tracker', () => {
  it('trackAttempt fails with the error code, else the class name, else UNHANDLED_ERROR', async () => {
    const { sink, events } = memorySink();
    const tracker = createTracker({ sink });
    const thrown = [
      Object.assign(new Error('x'), { code: 'ECONNRESET' }),
      Object.assign(new Error('x'), { code: 'ERR_socket-closed' }),
      new TypeError('Failed to fetch'),
      new Error('plain'),
    ];
    for (const [i, error] of thrown.entries()) {
      await tracker
        .trackAttempt({ requestId: `r-${i}` }, async () => {
          throw error;
        })
        .catch(() => {});
    }
    await tracker.flush();
    const failed = events.filter((e) => e.type === 'create_trip_failed');
    expect(failed.map((e) => [e.errorCode, e.errorClass, e.failureKind])).toEqual([
      ['ECONNRESET', undefined, 'network'],
      ['ERR_SOCKET_CLOSED', 'ERR_socket-closed', 'unknown'],
      ['TYPE_ERROR', 'TypeError', 'network'],
      ['UNHANDLED_ERROR', undefined, 'unknown'],
    ]);
  });

  it('goes on when the host logger throws: refusals are counted, the rest is written', async () => {
    const { sink, events } = memorySink();
    const throwing = {
      warn() {
        throw new Error('logger down');
      },
      error() {
        throw new Error('logger down');
      },
    };
    const tracker = createTracker({ sink, logger: throwing });
    tracker.startAttempt({ requestId: 'bad', anonSessionId: 'guest' });
    tracker.startAttempt({ requestId: 'good', anonSessionId: anon }).succeed({ tripId: 't-1' });
    await tracker.flush();
    expect(events.map((e) => `${e.requestId}:${e.type}`)).toEqual([
      'good:create_trip_attempted',
      'good:create_trip_succeeded',
    ]);
    expect(tracker.stats()).toMatchObject({ written: 2, rejected: 1, queued: 0 });
  });

  it('reads an outcome once, when the call is made: a later change is not stored, checked or not', async () => {
    const { sink, events } = memorySink();
    const tracker = createTracker({ sink });
    let reads = 0;
    const outcome = {
      tripId: 't-1',
      get provider() {
        reads += 1;
        return reads === 1 ? 'openai' : ({ not: 'a label' } as unknown as string);
      },
    };
    tracker.startAttempt({ requestId: 'r-1', anonSessionId: anon }).succeed(outcome);
    outcome.tripId = 't-changed';
    await tracker.flush();
    expect(events[1]).toMatchObject({ type: 'create_trip_succeeded', tripId: 't-1', provider: 'openai' });
    expect(tracker.stats().rejected).toBe(0);
  });

  describe('startedAt', () => {
    const now = Date.parse('2026-09-12T08:14:05.000Z');
    const HOUR = 3_600_000;

    async function started(startedAt: unknown, finishAfterMs = 2_000) {
      const { sink, events } = memorySink();
      const warnings: unknown[] = [];
      let clock = now;
      const tracker = createTracker({
        sink,
        now: () => clock,
        logger: { warn: (obj: unknown) => warnings.push(obj), error() {} },
      });
      const handle = tracker.startAttempt({ requestId: 'r-1', startedAt } as Parameters<
        typeof tracker.startAttempt
      >[0]);
      clock += finishAfterMs;
      handle.succeed();
      await tracker.flush();
      return { attempted: events[0]!, succeeded: events[1]!, warnings, stats: tracker.stats() };
    }

    it('starts the attempt when the app did, and measures the duration from there', async () => {
      const { attempted, succeeded, warnings } = await started('2026-09-12T08:14:03.498Z');
      expect(attempted.occurredAt.toISOString()).toBe('2026-09-12T08:14:03.498Z');
      expect(succeeded.durationMs).toBe(1_502 + 2_000);
      expect(warnings).toEqual([]);
      expect((await started(new Date(now - 23 * HOUR))).attempted.occurredAt.getTime()).toBe(now - 23 * HOUR);
      expect((await started(now - 60_000)).succeeded.durationMs).toBe(62_000);
    });

    it('takes a start a little ahead (clock skew) as now', async () => {
      const { attempted, succeeded } = await started(now + 4 * 60_000);
      expect(attempted.occurredAt.getTime()).toBe(now);
      expect(succeeded.durationMs).toBe(2_000);
    });

    it.each([
      ['more than 24 h back', now - 25 * HOUR],
      ['more than 5 min ahead', now + 6 * 60_000],
      ['not a date', 'yesterday'],
      ['of another type', { at: now }],
    ])(
      'ignores a start %s: the call time is the start, the attempt is kept and the reason logged',
      async (_, startedAt) => {
        const { attempted, succeeded, warnings, stats } = await started(startedAt);
        expect(attempted.occurredAt.getTime()).toBe(now);
        expect(succeeded.durationMs).toBe(2_000);
        expect(stats.rejected).toBe(0);
        expect(warnings).toHaveLength(1);
      },
    );

    it('bounds a resumed attempt’s start the same way', async () => {
      const { sink, events } = memorySink();
      const tracker = createTracker({ sink, now: () => now });
      tracker.resumeAttempt('r-1', { startedAt: now - 90_000 }).succeed();
      tracker.resumeAttempt('r-2', { startedAt: now - 25 * HOUR }).succeed();
      await tracker.flush();
      expect(events.map((e) => e.durationMs)).toEqual([90_000, undefined]);
    });
  });

  describe('flow', () => {
    it('is the explicit option, else the flow of the input, and must be an identifier', async () => {
      const { sink, events } = memorySink();
      const tracker = createTracker({ sink });
      tracker.startAttempt({ requestId: 'a', flow: 'wizard', input: { flow: 'classic' } });
      tracker.startAttempt({ requestId: 'b', input: { payload: { inputSnapshot: { flow: 'surprise' } } } });
      tracker.startAttempt({ requestId: 'c' });
      tracker.startAttempt({ requestId: 'd', flow: 'Quick Start' });
      await tracker.flush();
      expect(events.map((e) => [e.requestId, e.flow])).toEqual([
        ['a', 'wizard'],
        ['b', 'surprise'],
        ['c', undefined],
      ]);
      expect(tracker.stats().rejected).toBe(1);
    });
  });
});
