import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../domain/index.js';
import type { Sink } from './sink.js';
import { createTracker } from './tracker.js';

const anon = '0190a3c4-5b6d-7e8f-9a0b-1c2d3e4f5a6b';

function memorySink() {
  const events: TelemetryEvent[] = [];
  const sink: Sink = {
    async write(batch) {
      events.push(...batch);
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
});
