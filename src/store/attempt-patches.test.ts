import { describe, expect, it } from 'vitest';
import { isUuid, type TelemetryEvent } from '../domain/index.js';
import { attemptPatches } from './attempt-patches.js';
import { ATTEMPT_PATCH, patchRow } from './attempt-row.js';

const T0 = Date.parse('2026-03-10T12:00:00Z');
const at = (ms: number) => new Date(T0 + ms);
const anon = '5b0f3c2e-8f1a-4c1e-9d2b-3a4b5c6d7e8f';

function attempted(requestId: string, ms: number, extra: Partial<TelemetryEvent> = {}): TelemetryEvent {
  return {
    id: `a-${requestId}-${ms}`,
    type: 'create_trip_attempted',
    requestId,
    occurredAt: at(ms),
    anonSessionId: anon,
    provider: 'openai',
    model: 'gpt-5.4',
    promptContractVersion: 'classic_v2',
    source: 'app',
    inputSnapshot: { destinationPrompt: 'Japan' },
    effectiveDefaults: { budget: 'Medium' },
    fingerprint: 'fp_12345678',
    ...extra,
  };
}

function succeeded(requestId: string, ms: number, extra: Partial<TelemetryEvent> = {}): TelemetryEvent {
  return {
    id: `s-${requestId}-${ms}`,
    type: 'create_trip_succeeded',
    requestId,
    occurredAt: at(ms),
    source: 'app',
    tripId: `trip-${requestId}`,
    ...extra,
  };
}

function failed(requestId: string, ms: number, extra: Partial<TelemetryEvent> = {}): TelemetryEvent {
  return {
    id: `f-${requestId}-${ms}`,
    type: 'create_trip_failed',
    requestId,
    occurredAt: at(ms),
    source: 'app',
    errorCode: 'OPENAI_REQUEST_TIMEOUT',
    failureKind: 'timeout',
    ...extra,
  };
}

const only = (events: TelemetryEvent[]) => {
  const patches = attemptPatches(events);
  expect(patches).toHaveLength(1);
  return patches[0]!;
};

describe('attemptPatches', () => {
  it('folds attempted + succeeded of one batch into one finished patch; duration = the difference', () => {
    const patch = only([attempted('r1', 0), succeeded('r1', 4_321)]);
    expect(patch).toMatchObject({
      request_id: 'r1',
      start_known: true,
      status: 'success',
      duration_ms: 4_321,
      trip_id: 'trip-r1',
      error_code: null,
      failure_kind: null,
      anon_session_id: anon,
      provider: 'openai',
      model: 'gpt-5.4',
      prompt_contract_version: 'classic_v2',
      source: 'app',
      input_snapshot_json: JSON.stringify({ destinationPrompt: 'Japan' }),
      effective_defaults_json: JSON.stringify({ budget: 'Medium' }),
      fingerprint: 'fp_12345678',
    });
    expect(patch.created_at).toEqual(at(0));
    expect(patch.finished_at).toEqual(at(4_321));
    expect(isUuid(patch.id)).toBe(true);
  });

  it('keeps a duration the terminal event measured itself', () => {
    const patch = only([attempted('r1', 0), succeeded('r1', 5_000, { durationMs: 4_990 })]);
    expect(patch.duration_ms).toBe(4_990);
    expect(patch.created_at).toEqual(at(0));
  });

  it('orders by time, not by input order: a terminal listed before its attempted event', () => {
    const patch = only([failed('r1', 7_000, { httpStatus: 504 }), attempted('r1', 1_000)]);
    expect(patch).toMatchObject({
      status: 'failed',
      start_known: true,
      duration_ms: 6_000,
      error_code: 'OPENAI_REQUEST_TIMEOUT',
      failure_kind: 'timeout',
      prompt_contract_version: 'classic_v2',
    });
    expect(patch.created_at).toEqual(at(1_000));
    expect(patch.finished_at).toEqual(at(7_000));
  });

  it('only a terminal event: created_at = finish − duration', () => {
    const patch = only([succeeded('r1', 10_000, { durationMs: 2_500 })]);
    expect(patch).toMatchObject({ start_known: false, status: 'success', duration_ms: 2_500 });
    expect(patch.created_at).toEqual(at(7_500));
    expect(patch.finished_at).toEqual(at(10_000));
    expect(patch.prompt_contract_version).toBeNull();
    expect(patch.input_snapshot_json).toBeNull();
  });

  it('only a terminal event without a duration: created_at = finish, duration unknown', () => {
    const patch = only([failed('r1', 10_000)]);
    expect(patch).toMatchObject({ start_known: false, status: 'failed', duration_ms: null });
    expect(patch.created_at).toEqual(at(10_000));
  });

  it('only an attempted event: pending, nothing finished', () => {
    const patch = only([attempted('r1', 0)]);
    expect(patch).toMatchObject({
      status: 'pending',
      finished_at: null,
      duration_ms: null,
      start_known: true,
    });
    expect(patch.created_at).toEqual(at(0));
  });

  it('the first terminal event in time wins when both succeeded and failed arrive', () => {
    const successFirst = only([
      failed('r1', 9_000),
      attempted('r1', 0),
      succeeded('r1', 3_000, { tripId: 'trip-ok' }),
    ]);
    expect(successFirst).toMatchObject({
      status: 'success',
      trip_id: 'trip-ok',
      error_code: null,
      failure_kind: null,
      duration_ms: 3_000,
    });
    expect(successFirst.finished_at).toEqual(at(3_000));

    const failureFirst = only([succeeded('r2', 9_000), failed('r2', 2_000), attempted('r2', 0)]);
    expect(failureFirst).toMatchObject({
      status: 'failed',
      trip_id: null,
      error_code: 'OPENAI_REQUEST_TIMEOUT',
      duration_ms: 2_000,
    });
  });

  it('the earliest attempted event gives the start when one is redelivered', () => {
    const patch = only([
      succeeded('r1', 5_000),
      attempted('r1', 1_000, { promptContractVersion: 'late' }),
      attempted('r1', 0),
    ]);
    expect(patch.created_at).toEqual(at(0));
    expect(patch.prompt_contract_version).toBe('classic_v2');
    expect(patch.duration_ms).toBe(5_000);
  });

  it('never yields a negative duration when the clocks disagree', () => {
    const patch = only([attempted('r1', 5_000), succeeded('r1', 4_000)]);
    expect(patch.duration_ms).toBe(0);
  });

  it('fills context from whichever event has it and keeps one patch per request id', () => {
    const patches = attemptPatches([
      attempted('r1', 0, { anonSessionId: undefined, provider: undefined }),
      succeeded('r1', 100, { anonSessionId: anon, provider: 'gemini' }),
      attempted('r2', 50),
      failed('r3', 70),
    ]);
    expect(patches.map((p) => [p.request_id, p.status])).toEqual([
      ['r1', 'success'],
      ['r2', 'pending'],
      ['r3', 'failed'],
    ]);
    expect(patches[0]).toMatchObject({ anon_session_id: anon, provider: 'gemini' });
    expect(new Set(patches.map((p) => p.id)).size).toBe(3);
  });

  it('returns nothing for an empty batch', () => {
    expect(attemptPatches([])).toEqual([]);
  });
});

describe('patch columns, as the merge unnests them', () => {
  it('turns patches into aligned column arrays with ISO timestamps', () => {
    const patches = attemptPatches([attempted('r1', 0), succeeded('r1', 1_000), attempted('r2', 500)]);
    const columns = ATTEMPT_PATCH.columnArrays(patches.map((p) => patchRow(p)));
    expect(columns.request_id).toEqual(['r1', 'r2']);
    expect(columns.created_at).toEqual([at(0).toISOString(), at(500).toISOString()]);
    expect(columns.finished_at).toEqual([at(1_000).toISOString(), null]);
    expect(columns.status).toEqual(['success', 'pending']);
    expect(columns.duration_ms).toEqual([1_000, null]);
    for (const values of Object.values(columns)) expect(values).toHaveLength(2);
  });
});
