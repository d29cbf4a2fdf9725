import {
  classifyFailure,
  DEFAULT_PROMPT_CONTRACT_VERSION,
  type JsonValue,
  newId,
  type TelemetryEvent,
} from '../domain/index.js';
import { type NotesPolicy, redactErrorMessage, snapshotInput } from '../privacy/index.js';
import {
  type FailInput,
  invalidFailFields,
  invalidFinishContextFields,
  invalidStartFields,
  invalidSucceedFields,
  isRequestId,
  type ResumeOptions,
  type StartAttemptInput,
  type SucceedInput,
} from './attempt-input.js';
import type { OnceLogger, TrackerStats } from './stats.js';

export type { NotesPolicy };

/** A tracker call as queued on the hot path: raw, unvalidated, timestamped. */
export type QueuedCall =
  | { kind: 'start'; requestId: string; at: number; input: StartAttemptInput }
  | {
      kind: 'succeed' | 'fail';
      requestId: string;
      at: number;
      startedAt: number | undefined;
      context: ResumeOptions;
      outcome: SucceedInput | FailInput;
    };

interface PrepareDeps {
  notesPolicy: NotesPolicy;
  stats: TrackerStats;
  once: OnceLogger;
}

function reject(deps: PrepareDeps, kind: string, fields: string[]): undefined {
  deps.stats.rejected++;
  deps.once.warn(
    `invalid:${kind}:${fields.join(',')}`,
    { call: kind, fields },
    'tripmeter rejected invalid tracker input',
  );
  return undefined;
}

function messageOf(error: unknown): string | undefined {
  if (error === undefined || error === null) return undefined;
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : undefined;
  return message ? redactErrorMessage(message) : undefined;
}

/**
 * Validates and privacy-filters one queued call into a {@link TelemetryEvent}, off the hot path.
 * Invalid input is rejected: counted, logged once per reason, never thrown.
 */
export function prepareCall(call: QueuedCall, deps: PrepareDeps): TelemetryEvent | undefined {
  try {
    return call.kind === 'start' ? prepareStart(call, deps) : prepareFinish(call, deps);
  } catch (error) {
    deps.stats.rejected++;
    deps.once.warn(
      'prepare_failed',
      { message: (error as Error).message },
      'tripmeter could not prepare a record',
    );
    return undefined;
  }
}

function prepareStart(
  call: Extract<QueuedCall, { kind: 'start' }>,
  deps: PrepareDeps,
): TelemetryEvent | undefined {
  const invalid = invalidStartFields(call.input);
  if (invalid) return reject(deps, 'startAttempt', invalid);
  const input = call.input;
  let inputSnapshot: JsonValue | undefined;
  if (input.input !== undefined) {
    const result = snapshotInput(input.input, { notesPolicy: deps.notesPolicy });
    deps.stats.unknownKeysDropped += result.droppedKeys;
    inputSnapshot = result.snapshot as JsonValue;
  }
  let effectiveDefaults: JsonValue | undefined;
  if (input.effectiveDefaults !== undefined) {
    const result = snapshotInput(input.effectiveDefaults, { notesPolicy: deps.notesPolicy });
    deps.stats.unknownKeysDropped += result.droppedKeys;
    effectiveDefaults = result.snapshot as JsonValue;
  }
  const snapshotTarget = inputSnapshot as { provider?: string; model?: string } | undefined;
  return {
    id: newId(),
    type: 'create_trip_attempted',
    requestId: call.requestId,
    occurredAt: new Date(call.at),
    anonSessionId: input.anonSessionId?.toLowerCase(),
    userId: input.userId?.toLowerCase(),
    provider: input.provider ?? snapshotTarget?.provider,
    model: input.model ?? snapshotTarget?.model,
    promptContractVersion: input.promptContractVersion ?? DEFAULT_PROMPT_CONTRACT_VERSION,
    source: input.source ?? 'app',
    inputSnapshot,
    effectiveDefaults,
    fingerprint: input.fingerprint,
  };
}

function prepareFinish(
  call: Exclude<QueuedCall, { kind: 'start' }>,
  deps: PrepareDeps,
): TelemetryEvent | undefined {
  const { requestId, context } = call;
  // The request id is the call's own; the context is the handle's, or a resumed attempt's caller's.
  const invalidContext = isRequestId(requestId)
    ? invalidFinishContextFields(context)
    : ['requestId', ...(invalidFinishContextFields(context) ?? [])];
  if (invalidContext) return reject(deps, call.kind, invalidContext);
  // Each event is one object literal of one shape: `{ ...base, type }` would take V8's generic
  // copy, which cost ~1 µs and a large allocation per event on the flush path (measured).
  const id = newId();
  const occurredAt = new Date(call.at);
  const anonSessionId = context.anonSessionId?.toLowerCase();
  const userId = context.userId?.toLowerCase();
  const source = context.source ?? 'app';
  const durationMs =
    call.startedAt === undefined ? undefined : Math.max(0, Math.round(call.at - call.startedAt));
  const succeeded = call.kind === 'succeed';
  const invalidOutcome = (succeeded ? invalidSucceedFields : invalidFailFields)(call.outcome);
  if (invalidOutcome) return reject(deps, call.kind, invalidOutcome);
  const outcome: Partial<SucceedInput & FailInput> = call.outcome;
  const { errorCode, httpStatus } = outcome;
  const errorMessage = succeeded ? undefined : messageOf(outcome.error);
  return {
    id,
    type: succeeded ? 'create_trip_succeeded' : 'create_trip_failed',
    requestId,
    occurredAt,
    anonSessionId,
    userId,
    source,
    durationMs,
    tripId: succeeded ? outcome.tripId : undefined,
    provider: outcome.provider,
    model: outcome.model,
    errorCode,
    errorMessage,
    httpStatus,
    failureKind:
      errorCode === undefined ? undefined : classifyFailure({ errorCode, httpStatus, message: errorMessage }),
  };
}
