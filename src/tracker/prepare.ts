import {
  type AttemptPhaseRecord,
  classifyFailure,
  newId,
  normaliseErrorCode,
  type ProviderCallRecord,
  type TelemetryEvent,
  type TelemetryRecord,
} from '../domain/index.js';
import type { NotesPolicy, TextRedactor } from '../privacy/index.js';
import { invalidPhaseFields, invalidProviderCallFields, type ProviderCallInput } from './anatomy-input.js';
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
import { startTimeOf } from './started-at.js';
import type { OnceLogger, TrackerStats } from './stats.js';
import { toEvent } from './to-event.js';

export type { NotesPolicy, TextRedactor };

/** A tracker call as queued on the hot path: raw, unvalidated, timestamped. */
export type QueuedCall =
  | {
      kind: 'start';
      requestId: string;
      /** The attempt's start: the call time, or the caller's `startedAt` within its bounds. */
      at: number;
      /** The caller's `startedAt` was out of bounds or not a time: `at` is the call time. */
      startIgnored: boolean;
      input: StartAttemptInput;
    }
  | {
      kind: 'succeed' | 'fail';
      requestId: string;
      at: number;
      startedAt: number | undefined;
      context: ResumeOptions;
      outcome: SucceedInput | FailInput;
    }
  | {
      kind: 'call';
      requestId: string;
      at: number;
      context: ResumeOptions;
      /** The handle's next index, used when the input has none. */
      callIndex: number;
      input: ProviderCallInput;
    }
  | {
      kind: 'phase';
      requestId: string;
      at: number;
      context: ResumeOptions;
      phase: string;
      startedAt: unknown;
      durationMs: unknown;
    };

interface PrepareDeps {
  notesPolicy: NotesPolicy;
  notesRedactor?: TextRedactor | undefined;
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

/** The text of a failure's error: its message, or the string thrown; nothing for an empty one. */
function messageOf(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : undefined;
  return message || undefined;
}

/**
 * Validates and privacy-filters one queued call into a {@link TelemetryEvent}, off the hot path.
 * Invalid input is rejected: counted, logged once per reason, never thrown.
 */
export function prepareCall(call: QueuedCall, deps: PrepareDeps): TelemetryRecord | undefined {
  try {
    switch (call.kind) {
      case 'start':
        return prepareStart(call, deps);
      case 'call':
        return prepareProviderCall(call, deps);
      case 'phase':
        return preparePhase(call, deps);
      default:
        return prepareFinish(call, deps);
    }
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
  const { input } = call;
  if (call.startIgnored)
    deps.once.warn(
      'ignored:startAttempt:startedAt',
      { call: 'startAttempt', fields: ['startedAt'] },
      'tripmeter ignored a startedAt more than 24 h back, more than 5 min ahead, or not a time; the call time is the start',
    );
  return toEvent(
    {
      type: 'create_trip_attempted',
      requestId: call.requestId,
      occurredAt: new Date(call.at),
      anonSessionId: input.anonSessionId,
      userId: input.userId,
      provider: input.provider,
      model: input.model,
      promptContractVersion: input.promptContractVersion,
      source: input.source,
      flow: input.flow,
      input: input.input,
      effectiveDefaults: input.effectiveDefaults,
      fingerprint: input.fingerprint,
    },
    deps,
  );
}

function prepareFinish(
  call: Extract<QueuedCall, { kind: 'succeed' | 'fail' }>,
  deps: PrepareDeps,
): TelemetryEvent | undefined {
  const { requestId, context } = call;
  // The request id is the call's own; the context is the handle's, or a resumed attempt's caller's.
  const invalidContext = isRequestId(requestId)
    ? invalidFinishContextFields(context)
    : ['requestId', ...(invalidFinishContextFields(context) ?? [])];
  if (invalidContext) return reject(deps, call.kind, invalidContext);
  const succeeded = call.kind === 'succeed';
  const invalidOutcome = (succeeded ? invalidSucceedFields : invalidFailFields)(call.outcome);
  if (invalidOutcome) return reject(deps, call.kind, invalidOutcome);
  // Only the fields of the outcome's own kind: the others were not checked.
  const outcome: Partial<SucceedInput & FailInput> = call.outcome;
  return toEvent(
    {
      type: succeeded ? 'create_trip_succeeded' : 'create_trip_failed',
      requestId,
      occurredAt: new Date(call.at),
      anonSessionId: context.anonSessionId,
      userId: context.userId,
      source: context.source,
      durationMs:
        call.startedAt === undefined ? undefined : Math.max(0, Math.round(call.at - call.startedAt)),
      tripId: succeeded ? outcome.tripId : undefined,
      provider: outcome.provider,
      model: outcome.model,
      errorCode: succeeded ? undefined : outcome.errorCode,
      errorMessage: succeeded ? undefined : messageOf(outcome.error),
      httpStatus: succeeded ? undefined : outcome.httpStatus,
    },
    deps,
  );
}

/** The context of an anatomy record: the request id and the handle's identifiers, checked. */
function invalidContextOf(call: { requestId: string; context: ResumeOptions }): string[] | undefined {
  return isRequestId(call.requestId)
    ? invalidFinishContextFields(call.context)
    : ['requestId', ...(invalidFinishContextFields(call.context) ?? [])];
}

function prepareProviderCall(
  call: Extract<QueuedCall, { kind: 'call' }>,
  deps: PrepareDeps,
): ProviderCallRecord | undefined {
  const invalid = invalidContextOf(call) ?? invalidProviderCallFields(call.input);
  if (invalid) return reject(deps, 'providerCall', invalid);
  const { input, context } = call;
  const code = input.errorCode === undefined ? undefined : normaliseErrorCode(input.errorCode).code;
  const failed = input.status === 'failed';
  const start = input.startedAt === undefined ? undefined : startTimeOf(input.startedAt, call.at);
  return {
    kind: 'provider_call',
    id: newId(),
    requestId: call.requestId,
    callIndex: input.callIndex ?? call.callIndex,
    occurredAt: new Date(start ?? Math.max(0, call.at - input.durationMs)),
    provider: input.provider,
    model: input.model,
    responseModel: input.responseModel,
    status: input.status,
    errorCode: code,
    failureKind: failed ? classifyFailure({ errorCode: code, httpStatus: input.httpStatus }) : undefined,
    httpStatus: input.httpStatus,
    durationMs: input.durationMs,
    ttftMs: input.ttftMs,
    inputTokens: input.inputTokens,
    outputTokens: input.outputTokens,
    cachedInputTokens: input.cachedInputTokens,
    reasoningTokens: input.reasoningTokens,
    finishReason: input.finishReason,
    retryReason: input.retryReason,
    anonSessionId: context.anonSessionId?.toLowerCase(),
    userId: context.userId?.toLowerCase(),
    source: context.source ?? 'app',
  };
}

function preparePhase(
  call: Extract<QueuedCall, { kind: 'phase' }>,
  deps: PrepareDeps,
): AttemptPhaseRecord | undefined {
  const invalid =
    invalidContextOf(call) ?? invalidPhaseFields({ phase: call.phase, durationMs: call.durationMs });
  if (invalid) return reject(deps, 'phase', invalid);
  const start = startTimeOf(call.startedAt, call.at);
  if (start === undefined) return reject(deps, 'phase', ['startedAt']);
  const { context } = call;
  return {
    kind: 'attempt_phase',
    id: newId(),
    requestId: call.requestId,
    phase: call.phase,
    startedAt: new Date(start),
    durationMs: call.durationMs as number,
    anonSessionId: context.anonSessionId?.toLowerCase(),
    userId: context.userId?.toLowerCase(),
    source: context.source ?? 'app',
  };
}
