import { describe, expect, it } from 'vitest';
import { prepareCall, type QueuedCall } from './prepare.js';
import { emptyStats, OnceLogger } from './stats.js';

const anon = '0190a3c4-5b6d-7e8f-9a0b-1c2d3e4f5a6b';

function deps() {
  const warnings: object[] = [];
  const stats = emptyStats();
  const logger = { warn: (obj: object) => warnings.push(obj), error() {} };
  return { deps: { notesPolicy: 'redact' as const, stats, once: new OnceLogger(logger) }, stats, warnings };
}

describe('prepareCall: refusals', () => {
  it('counts a refused call and logs the fields at fault once per reason', () => {
    const { deps: d, stats, warnings } = deps();
    const start: QueuedCall = {
      kind: 'start',
      requestId: 'r-1',
      at: 0,
      startIgnored: false,
      input: { anonSessionId: 'guest', source: 'X' },
    };
    expect(prepareCall(start, d)).toBeUndefined();
    expect(prepareCall(start, d)).toBeUndefined();
    expect(stats.rejected).toBe(2);
    expect(warnings).toEqual([
      {
        reason: 'invalid:startAttempt:anonSessionId,source',
        call: 'startAttempt',
        fields: ['anonSessionId', 'source'],
      },
    ]);
  });

  it("names a finishing call's request id, context and outcome fields", () => {
    const { deps: d, warnings } = deps();
    const finish = (requestId: string, context: object, outcome: object): QueuedCall => ({
      kind: 'fail',
      requestId,
      at: 10,
      startedAt: 0,
      context,
      outcome: outcome as { errorCode: string },
    });
    expect(prepareCall(finish('has space', { userId: 'nope' }, { errorCode: 'X_Y' }), d)).toBeUndefined();
    expect(prepareCall(finish('r-2', { anonSessionId: anon }, { errorCode: 42 }), d)).toBeUndefined();
    expect(warnings.map((w) => (w as { fields: string[] }).fields)).toEqual([
      ['requestId', 'userId'],
      ['errorCode'],
    ]);
    const event = prepareCall(
      finish('r-3', { anonSessionId: anon.toUpperCase() }, { errorCode: 'X_Y', httpStatus: 429 }),
      d,
    );
    expect(event).toMatchObject({
      type: 'create_trip_failed',
      requestId: 'r-3',
      anonSessionId: anon,
      durationMs: 10,
    });
    expect(event).toMatchObject({ errorCode: 'X_Y', httpStatus: 429, failureKind: 'rate_limited' });
  });

  it('keeps a failure whatever the shape of its code: normalised, with its class', () => {
    const { deps: d, stats } = deps();
    const fail = (errorCode: string, error?: unknown): QueuedCall => ({
      kind: 'fail',
      requestId: `r-${errorCode}`,
      at: 10,
      startedAt: 0,
      context: {},
      outcome: { errorCode, error },
    });
    expect(prepareCall(fail('TypeError', new TypeError('Failed to fetch')), d)).toMatchObject({
      errorCode: 'TYPE_ERROR',
      errorClass: 'TypeError',
      failureKind: 'network',
    });
    expect(prepareCall(fail('AbortError'), d)).toMatchObject({
      errorCode: 'ABORT_ERROR',
      errorClass: 'AbortError',
      failureKind: 'abort',
    });
    expect(prepareCall(fail('Error'), d)).toMatchObject({ errorCode: 'ERROR', errorClass: 'Error' });
    expect(prepareCall(fail('some-thing'), d)).toMatchObject({
      errorCode: 'SOME_THING',
      errorClass: 'some-thing',
    });
    expect(prepareCall(fail('RATE_LIMITED'), d)).toMatchObject({
      errorCode: 'RATE_LIMITED',
      errorClass: undefined,
    });
    expect(stats.rejected).toBe(0);
  });

  it("keeps only the fields of an outcome's own kind, the ones that were checked", () => {
    const { deps: d } = deps();
    const succeed: QueuedCall = {
      kind: 'succeed',
      requestId: 'r-4',
      at: 10,
      startedAt: 0,
      context: {},
      outcome: { tripId: 't-4', errorCode: 'not checked', httpStatus: 'nor this' } as object,
    };
    expect(prepareCall(succeed, d)).toMatchObject({
      type: 'create_trip_succeeded',
      tripId: 't-4',
      errorCode: undefined,
      httpStatus: undefined,
      failureKind: undefined,
    });
  });
});
