import { z } from 'zod';

/**
 * The answers of the generation metrics routes as zod schemas, for the OpenAPI document;
 * `test/generation/routes.test.ts` parses real answers with them (strict), so they cannot drift
 * from the metrics' TypeScript types.
 */
const nn = z.number().nullable();
const int = z.int();
const unavailable = z.record(z.string(), z.string()).describe('figure path → why it is null');
const tokens = z.strictObject({ input: int, output: int, cachedInput: int, reasoning: int }).nullable();
const costRow = {
  calls: int,
  pricedCalls: int,
  unpricedCalls: int,
  costUsd: nn,
  tokens,
};

export const costAnswer = z.strictObject({
  from: z.string(),
  to: z.string(),
  currency: z.literal('USD'),
  totalCostUsd: nn,
  totalCostUsdExact: z.string().nullable(),
  calls: int,
  pricedCalls: int,
  unpricedCalls: int,
  tokens,
  perSuccessfulTrip: z.strictObject({
    successes: int,
    pricedSuccesses: int,
    unpricedSuccesses: int,
    successesWithoutCalls: int,
    meanUsd: nn,
    p50Usd: nn,
    p95Usd: nn,
  }),
  byModel: z.array(z.strictObject({ provider: z.string(), model: z.string(), ...costRow })),
  byVersion: z.array(
    z.strictObject({ promptContractVersion: z.string(), ...costRow, perSuccessfulTripMeanUsd: nn }),
  ),
  unpricedModels: z.array(z.strictObject({ provider: z.string(), model: z.string(), calls: int })),
  previous: z.strictObject({ totalCostUsd: nn, perSuccessfulTripMeanUsd: nn, successes: int }),
  unavailable,
});

export const callsAnswer = z.strictObject({
  from: z.string(),
  to: z.string(),
  calls: int,
  failedCalls: int,
  attempts: int,
  attemptsWithCalls: int,
  callsPerAttempt: z.strictObject({
    mean: nn,
    distribution: z.array(z.strictObject({ calls: int, attempts: int })),
  }),
  retries: z.strictObject({
    retriedAttempts: int,
    retryRate: nn,
    fellBackAttempts: int,
    fallbackRate: nn,
    attemptsWithFailedCall: int,
    rescued: int,
    rescueRate: nn,
    rescuedByFallback: int,
  }),
  retryReasons: z.array(z.strictObject({ retryReason: z.string(), calls: int, failedCalls: int })),
  byModel: z.array(
    z.strictObject({
      provider: z.string(),
      model: z.string(),
      calls: int,
      failedCalls: int,
      ttftCalls: int,
      ttftP50Ms: nn,
      ttftP95Ms: nn,
      durationP50Ms: nn,
      durationP95Ms: nn,
    }),
  ),
  unavailable,
});

export const phasesAnswer = z.strictObject({
  from: z.string(),
  to: z.string(),
  phases: z.array(
    z.strictObject({
      phase: z.string(),
      count: int,
      meanMs: nn,
      p50Ms: nn,
      p95Ms: nn,
      shareOfEndToEnd: nn,
    }),
  ),
  endToEndMs: z.strictObject({ p50: nn, p95: nn }),
  unavailable,
});

export const queueAnswer = z.strictObject({
  from: z.string(),
  to: z.string(),
  steps: z.array(
    z.strictObject({
      name: z.enum(['queued', 'claimed', 'answered', 'stored']),
      count: int.nullable(),
      lost: int.nullable(),
      shareLost: nn,
    }),
  ),
  pending: int,
  unavailable,
});

export const stuckAnswer = z.strictObject({
  now: z.string(),
  generationTimeoutMs: int,
  thresholdMs: int,
  stuck: int,
  oldestStartedAt: z.string().nullable(),
  oldestAgeMs: nn,
  byModel: z.array(z.strictObject({ provider: z.string(), model: z.string(), stuck: int })),
  sloMet: z.boolean(),
});

/** Route name → answer schema. */
export const GENERATION_ANSWERS = {
  cost: costAnswer,
  calls: callsAnswer,
  phases: phasesAnswer,
  queue: queueAnswer,
  stuck: stuckAnswer,
} as const;
