import { classifyFailure, newId, type ProviderCallRecord, type TelemetryEvent } from '../domain/index.js';
import type { MappedExport, OtlpAttempt, OtlpProviderCall } from './map-spans.js';

/**
 * The first `call_index` of calls from spans. Indexes below it are the ones apps number
 * themselves (0, 1, 2 … through the tracker or `/v1/events`), so a span never takes an app's slot.
 */
export const SPAN_CALL_INDEX_BASE = 2 ** 30;

/**
 * The `call_index` of a span: 2^30 + 30 bits of its trace id and span id mixed, so an exporter's
 * retry lands on the same `(request_id, call_index)` key and is stored once. Two calls of one
 * attempt collide with odds of about n²/2^31 (n calls: 1 in 430,000 for 100 calls); the span id is
 * random, so no sender can arrange it by accident.
 *
 * @example
 * callIndexOf('5b8efff798038103d269b633813fc60c', 'eee19b7ec3c1b174'); // 1 073 741 824 ≤ i < 2^31
 */
export function callIndexOf(traceId: string, spanId: string): number {
  const mixed =
    Number.parseInt(spanId.slice(0, 8), 16) ^
    Number.parseInt(spanId.slice(8, 16), 16) ^
    Number.parseInt(traceId.slice(24, 32), 16);
  return SPAN_CALL_INDEX_BASE + (mixed & (SPAN_CALL_INDEX_BASE - 1));
}

/** `HTTP_429` (an `error.type` of `429`) names the status the span may not carry on its own. */
const HTTP_CODE = /^HTTP_(\d{3})$/;

/**
 * A mapped call as the domain's record (the sink computes its cost from the price table). A call
 * whose `error.type` is an HTTP status (`429`) and that has no `http.response.status_code` takes
 * that status, so its failure kind reads it (`rate_limited`).
 */
export function toProviderCallRecord(call: OtlpProviderCall, source = 'app'): ProviderCallRecord {
  const fromCode = call.errorCode === null ? null : HTTP_CODE.exec(call.errorCode);
  const httpStatus = call.httpStatus ?? (fromCode ? Number(fromCode[1]) : null);
  return {
    kind: 'provider_call',
    id: newId(),
    requestId: call.requestId,
    callIndex: callIndexOf(call.traceId, call.spanId),
    occurredAt: call.occurredAt,
    provider: call.provider,
    model: call.model,
    responseModel: call.responseModel ?? undefined,
    status: call.status,
    errorCode: call.errorCode ?? undefined,
    failureKind:
      call.status === 'failed' ? classifyFailure({ errorCode: call.errorCode, httpStatus }) : undefined,
    httpStatus: httpStatus ?? undefined,
    durationMs: call.durationMs,
    ttftMs: call.ttftMs ?? undefined,
    inputTokens: call.inputTokens ?? undefined,
    outputTokens: call.outputTokens ?? undefined,
    cachedInputTokens: call.cachedInputTokens ?? undefined,
    reasoningTokens: call.reasoningTokens ?? undefined,
    finishReason: call.finishReason ?? undefined,
    source,
  };
}

/**
 * The two events of an attempt a root span opened and closed (`trace_as_attempt`): attempted at
 * the root's start, succeeded or failed at its end, with the provider and model of its first call
 * when the export holds one. Written idempotently by request id + type, as every attempt event.
 */
export function attemptEvents(
  attempt: OtlpAttempt,
  firstCall: OtlpProviderCall | undefined,
  source = 'app',
): TelemetryEvent[] {
  const common = {
    requestId: attempt.requestId,
    provider: firstCall?.provider,
    model: firstCall?.model,
    source,
  };
  const failed = attempt.status === 'failed';
  return [
    { id: newId(), type: 'create_trip_attempted', occurredAt: attempt.startedAt, ...common },
    {
      id: newId(),
      type: failed ? 'create_trip_failed' : 'create_trip_succeeded',
      occurredAt: attempt.endedAt,
      durationMs: attempt.durationMs,
      ...(failed
        ? {
            errorCode: attempt.errorCode ?? undefined,
            failureKind: classifyFailure({ errorCode: attempt.errorCode }),
          }
        : {}),
      ...common,
    },
  ];
}

/** The request ids whose root span came without calls: look them up with `selectRequestsWithCalls`. */
export function rootsWithoutCalls(mapped: MappedExport): string[] {
  return mapped.attempts.filter((a) => a.callCount === 0).map((a) => a.requestId);
}

/**
 * The records of a mapped export, written in one submission (all or nothing): its calls, and the
 * events of the attempts its root spans open and close: a root with calls in this export, or whose
 * calls are stored already (`storedRequests`); a root with no call anywhere is some other request
 * of the app and opens nothing.
 */
export function exportRecords(
  mapped: MappedExport,
  storedRequests: ReadonlySet<string> = new Set(),
): { calls: ProviderCallRecord[]; events: TelemetryEvent[] } {
  const calls = new Array<ProviderCallRecord>(mapped.calls.length);
  for (let i = 0; i < calls.length; i++) calls[i] = toProviderCallRecord(mapped.calls[i]!);
  const events: TelemetryEvent[] = [];
  if (mapped.attempts.length === 0) return { calls, events };
  const firstOfTrace = new Map<string, OtlpProviderCall>();
  for (const call of mapped.calls)
    if (call.unattached && !firstOfTrace.has(call.traceId)) firstOfTrace.set(call.traceId, call);
  for (const attempt of mapped.attempts) {
    if (attempt.callCount === 0 && !storedRequests.has(attempt.requestId)) continue;
    events.push(...attemptEvents(attempt, firstOfTrace.get(attempt.requestId)));
  }
  return { calls, events };
}
