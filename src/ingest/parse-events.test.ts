import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../domain/index.js';
import { createTracker } from '../tracker/index.js';
import { parseIngestBody } from './parse-events.js';

const now = new Date('2026-12-01T10:00:00Z');
const anon = '0190A3C4-5B6D-7E8F-9A0B-1C2D3E4F5A6B';
const input = {
  flow: 'wizard',
  destinationPrompt: 'Japan',
  notes: 'call +49 170 1234567',
  secretField: 'dropped',
  options: { budget: 'Low', aiTarget: { provider: 'gemini', model: 'gemini-3-pro-preview' } },
};

/** The events the in-process tracker makes of the same facts. */
async function trackerEvents(): Promise<TelemetryEvent[]> {
  const events: TelemetryEvent[] = [];
  const tracker = createTracker({
    now: () => now.getTime(),
    sink: {
      async write(batch) {
        events.push(...(batch as TelemetryEvent[]));
        return { written: batch.length, duplicates: 0 };
      },
    },
  });
  tracker.startAttempt({
    requestId: 'r-1',
    anonSessionId: anon,
    input,
    effectiveDefaults: { pace: 'Relaxed' },
  });
  tracker.startAttempt({ requestId: 'r-2', userId: anon, source: 'demo' }).succeed({ tripId: 't-2' });
  tracker.resumeAttempt('r-3', { anonSessionId: anon, startedAt: now }).fail({
    errorCode: 'OPENAI_REQUEST_TIMEOUT',
    error: new Error('timed out for anna@example.com'),
    httpStatus: 504,
    model: 'gpt-5.4',
  });
  tracker.startAttempt({ requestId: 'r-4', flow: 'quick_start', startedAt: now.getTime() - 60_000 });
  await tracker.shutdown();
  return events;
}

const withoutId = ({ id: _id, ...event }: TelemetryEvent) => event;

describe('parseIngestBody', () => {
  it('maps wire events to the events the tracker makes of the same facts', async () => {
    const occurred_at = now.toISOString();
    const parsed = parseIngestBody(
      {
        events: [
          {
            type: 'create_trip_attempted',
            request_id: 'r-1',
            anon_session_id: anon,
            occurred_at,
            input_snapshot: input,
            effective_defaults: { pace: 'Relaxed' },
          },
          { type: 'create_trip_attempted', request_id: 'r-2', user_id: anon, occurred_at, source: 'demo' },
          {
            type: 'create_trip_succeeded',
            request_id: 'r-2',
            user_id: anon,
            occurred_at,
            source: 'demo',
            duration_ms: 0,
            trip_id: 't-2',
          },
          {
            type: 'create_trip_failed',
            request_id: 'r-3',
            anon_session_id: anon,
            occurred_at,
            duration_ms: 0,
            error_code: 'OPENAI_REQUEST_TIMEOUT',
            error_message: 'timed out for anna@example.com',
            http_status: 504,
            model: 'gpt-5.4',
          },
          {
            type: 'create_trip_attempted',
            request_id: 'r-4',
            occurred_at: new Date(now.getTime() - 60_000).toISOString(),
            flow: 'quick_start',
          },
        ],
      },
      { now },
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const tracked = await trackerEvents();
    expect(tracked).toHaveLength(5);
    expect(parsed.events.map(withoutId)).toStrictEqual(tracked.map(withoutId));
    expect(parsed.events.map((e) => e.flow)).toEqual([
      'wizard',
      undefined,
      undefined,
      undefined,
      'quick_start',
    ]);
  });

  it('refuses a flow that is not a snake_case identifier', () => {
    const parsed = parseIngestBody(
      { type: 'create_trip_attempted', request_id: 'r-1', flow: 'Anna’s flow' },
      { now },
    );
    expect(parsed).toMatchObject({ ok: false, errors: [{ field: 'flow' }] });
  });
});
