import { z } from 'zod';

const minutes = z.number().int().min(1).max(10_080);
const ratio = z.number().min(0).max(1);

/**
 * The `alerts` setting (config file key `alerts`, or JSON in `TRIPMETER_ALERTS`). Every field
 * has a default, so `{}` is a complete configuration.
 *
 * @example
 * { "alerts": { "failureRate": { "minFailures": 8 }, "latency": { "objectiveMs": 60000 } } }
 */
export const alertsConfigSchema = z
  .object({
    /** Evaluate the rules every minute in `serve` (default true). */
    enabled: z.boolean().default(true),
    /** The sliding window the rules look at, in minutes (default 10). */
    windowMinutes: minutes.default(10),
    /**
     * Shorter trailing windows a failure-rate spike may also be seen in (default [1, 5]), so a
     * spike at peak traffic fires within 2 minutes; each still needs `minFailures` and the Wilson
     * test. Windows of 2–3 minutes raise false alerts at night (see bench/alerts-sim.ts).
     */
    shortWindowsMinutes: z.array(minutes).max(6).default([1, 5]),
    /** Consecutive breaching evaluations before an incident opens (default 2). */
    pendingEvaluations: z.number().int().min(1).max(60).default(2),
    /** Consecutive clear evaluations before it resolves (default 2). */
    resolveEvaluations: z.number().int().min(1).max(60).default(2),
    /** Minimum time between two notifications of one open incident (default 240 = 4 h). */
    repeatIntervalMinutes: minutes.default(240),
    baseline: z
      .object({
        /** Attempts the same hour of week, 7 days ago, must hold to be the baseline (default 30). */
        minAttempts: z.number().int().min(1).default(30),
        /** Else: the trailing hours used instead (default 24). */
        fallbackHours: z.number().int().min(1).max(168).default(24),
      })
      .strict()
      .prefault({}),
    failureRate: z
      .object({
        enabled: z.boolean().default(true),
        /** Failures the window must hold before anything fires (default 5). */
        minFailures: z.number().int().min(1).default(5),
        /**
         * The same floor for the per provider/model and per error code rules (default 8): there are
         * many scopes, each with little traffic at night, so each needs stronger evidence.
         */
        minFailuresPerScope: z.number().int().min(1).default(8),
        /** The threshold is max(baseline × factor, baseline + marginPoints / 100) (defaults 2 and 5). */
        factor: z.number().min(1).default(2),
        marginPoints: z.number().min(0).max(100).default(5),
        /** Also per provider/model and per error code (default true). */
        byProviderModel: z.boolean().default(true),
        byErrorCode: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    latency: z
      .object({
        enabled: z.boolean().default(true),
        /** The p95 duration objective in ms (default 75 000, the app's SLO). */
        objectiveMs: z.number().int().min(1).default(75_000),
        /** Finished attempts the window must hold (default 20). */
        minAttempts: z.number().int().min(1).default(20),
      })
      .strict()
      .prefault({}),
    abandoned: z
      .object({
        enabled: z.boolean().default(true),
        /** Abandoned attempts are closed late, so they get a longer window (default 60 min). */
        windowMinutes: minutes.default(60),
        /** Fires above this many abandoned attempts in that window (default 5). */
        maxCount: z.number().int().min(0).default(5),
      })
      .strict()
      .prefault({}),
    stuckAttempts: z
      .object({
        enabled: z.boolean().default(true),
        /** An attempt is stuck when pending longer than `timeoutFactor` × `generationTimeoutMs` (default 2: the origin's SLO). */
        timeoutFactor: z.number().min(1).max(100).default(2),
        /** Fires above this many stuck attempts (default 0: the SLO says none). */
        maxCount: z.number().int().min(0).default(0),
      })
      .strict()
      .prefault({}),
    costPerSuccess: z
      .object({
        enabled: z.boolean().default(true),
        /** The window whose mean cost per successful trip is compared (default 60 min). */
        windowMinutes: minutes.default(60),
        /** The baseline: the mean over this many hours before the window (default 24). */
        baselineHours: z.number().int().min(1).max(168).default(24),
        /** Fires when the window's mean > baseline × factor (default 1.5) … */
        factor: z.number().min(1).default(1.5),
        /** … and resolves when it is ≤ baseline × recoverFactor (default 1.25; hysteresis). */
        recoverFactor: z.number().min(1).default(1.25),
        /** Successful priced attempts the window and the baseline must each hold (default 20). */
        minSuccesses: z.number().int().min(1).default(20),
      })
      .strict()
      .prefault({}),
    trafficDrop: z
      .object({
        enabled: z.boolean().default(true),
        /** Only when the baseline expects at least this many attempts in the window (default 20). */
        minExpected: z.number().min(1).default(20),
        /** Fires when attempts ≤ expected × maxRatio (default 0.1: near zero) … */
        maxRatio: ratio.default(0.1),
        /** … and resolves when attempts > expected × recoverRatio (default 0.5). */
        recoverRatio: ratio.default(0.5),
      })
      .strict()
      .prefault({}),
  })
  .strict();

/** The validated alerting configuration. */
export type AlertsConfig = z.output<typeof alertsConfigSchema>;

/** The defaults, as a value (tests and the simulation start from it). */
export const DEFAULT_ALERTS_CONFIG: AlertsConfig = Object.freeze(alertsConfigSchema.parse({}));

/** The setting's schema: an object, or JSON text (from the environment or a flag); absent = defaults. */
export const alertsSettingSchema = z.preprocess((value) => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value; // refused below as "expected object"
  }
}, alertsConfigSchema.prefault({}));
