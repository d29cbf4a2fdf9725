import { type AttemptPhaseRecord, newId, type ProviderCallRecord } from '../../src/domain/index.js';

/** A call record of `requestId` as the tracker hands it to the sink (source `app`, a new id). */
export type CallFields = Omit<ProviderCallRecord, 'kind' | 'id' | 'requestId' | 'source'>;

/**
 * Builders of the anatomy records of one request, for tests that write records through the sink:
 * `call` (its fields) and `phase` (name, start as an offset on `at`, duration, and any other field).
 */
export function anatomyRecords(requestId: string, at: (offsetMs: number) => Date) {
  return {
    call: (c: CallFields): ProviderCallRecord => ({
      kind: 'provider_call',
      id: newId(),
      requestId,
      source: 'app',
      ...c,
    }),
    phase: (
      name: string,
      start: number,
      durationMs: number,
      extra: Partial<AttemptPhaseRecord> = {},
    ): AttemptPhaseRecord => ({
      kind: 'attempt_phase',
      id: newId(),
      requestId,
      phase: name,
      startedAt: at(start),
      durationMs,
      source: 'app',
      ...extra,
    }),
  };
}
