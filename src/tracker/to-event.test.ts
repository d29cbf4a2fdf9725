import { describe, expect, it } from 'vitest';
import { type EventFacts, toEvent } from './to-event.js';

const anon = '0190A3C4-5B6D-7E8F-9A0B-1C2D3E4F5A6B';
const at = new Date('2026-12-01T10:00:00Z');
const options = { notesPolicy: 'redact' as const };
const input = {
  countries: ['Japan'],
  secretField: 'dropped',
  options: { aiTarget: { provider: 'gemini', model: 'gemini-3-pro-preview' } },
};

const facts = (type: EventFacts['type'], rest: Partial<EventFacts> = {}): EventFacts => ({
  type,
  requestId: 'r-1',
  occurredAt: at,
  ...rest,
});

describe('toEvent', () => {
  it('gives a new id, lower-cases subject ids and defaults the source', () => {
    const a = toEvent(facts('create_trip_succeeded', { anonSessionId: anon, userId: anon }), options);
    const b = toEvent(facts('create_trip_succeeded'), options);
    expect(a).toMatchObject({
      type: 'create_trip_succeeded',
      requestId: 'r-1',
      occurredAt: at,
      anonSessionId: anon.toLowerCase(),
      userId: anon.toLowerCase(),
      source: 'app',
    });
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(b.id).not.toBe(a.id);
    expect(toEvent(facts('create_trip_succeeded', { source: 'demo' }), options).source).toBe('demo');
  });

  it('snapshots the input through the allowlist, and takes the AI target from it on an attempt only', () => {
    const stats = { unknownKeysDropped: 0 };
    const attempted = toEvent(facts('create_trip_attempted', { input }), { ...options, stats });
    expect(attempted.inputSnapshot).not.toHaveProperty('secretField');
    expect(attempted).toMatchObject({
      provider: 'gemini',
      model: 'gemini-3-pro-preview',
      promptContractVersion: 'classic_v1',
    });
    expect(stats.unknownKeysDropped).toBe(1);
    const named = toEvent(
      facts('create_trip_attempted', { input, provider: 'openai', model: 'gpt-5.4' }),
      options,
    );
    expect(named).toMatchObject({ provider: 'openai', model: 'gpt-5.4' });
    const finished = toEvent(facts('create_trip_succeeded', { input }), options);
    expect(finished).toMatchObject({
      provider: undefined,
      model: undefined,
      promptContractVersion: undefined,
    });
  });

  it('redacts the error message and classifies a failure, on a failed event only', () => {
    const failed = toEvent(
      facts('create_trip_failed', {
        errorCode: 'OPENAI_REQUEST_TIMEOUT',
        errorMessage: 'timed out for anna@example.com',
        httpStatus: 504,
      }),
      options,
    );
    expect(failed).toMatchObject({ errorMessage: 'timed out for [email]', failureKind: 'timeout' });
    const succeeded = toEvent(
      facts('create_trip_succeeded', { errorCode: 'OPENAI_REQUEST_TIMEOUT' }),
      options,
    );
    expect(succeeded.failureKind).toBeUndefined();
  });

  it('builds every event with the same fields in the same order', () => {
    const keys = (event: object) => Object.keys(event).join(',');
    const start = toEvent(facts('create_trip_attempted', { input, fingerprint: 'fp_12345678' }), options);
    const failure = toEvent(facts('create_trip_failed', { errorCode: 'E', durationMs: 3 }), options);
    expect(keys(failure)).toBe(keys(start));
  });
});
