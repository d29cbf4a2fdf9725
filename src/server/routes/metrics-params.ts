import { z } from 'zod';
import { FLOW_PATTERN, SOURCE_PATTERN } from '../../domain/index.js';
import type { MetricsQuery } from '../../metrics/index.js';
import { type FieldProblem, ProblemError } from '../../web/index.js';
import { parseQuery, queryProblem } from './parse-query.js';

const DAY_MS = 86_400_000;
/** The longest range a metrics request may ask for. */
export const MAX_RANGE_DAYS = 400;
/** The range when `from` is absent: 7 days before `to`. */
export const DEFAULT_RANGE_DAYS = 7;
/**
 * The instants a metrics range may touch, its comparison window included: from the Unix epoch
 * (no telemetry is older, and PostgreSQL and JavaScript disagree on years before 1 and after
 * 9999) to the last millisecond of year 9999 (the last year both write as four digits).
 */
export const EARLIEST_TIME = new Date('1970-01-01T00:00:00.000Z');
export const LATEST_TIME = new Date('9999-12-31T23:59:59.999Z');

const label = z.string().min(1).max(128);
const count = (max: number) => z.coerce.number().int().min(1).max(max);

/**
 * The range and filter parameters every panel shares (metrics routes and `GET /v1/attempts`),
 * declared once so a filter means the same on each.
 */
export const RANGE_FILTER_PARAMS = {
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  provider: label.optional(),
  model: label.optional(),
  prompt_contract_version: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - (1–64)')
    .optional(),
  source: z.string().regex(SOURCE_PATTERN, 'a lower-case source label such as app').optional(),
  flow: z.string().regex(FLOW_PATTERN, 'a snake_case flow such as classic or wizard (1–32)').optional(),
};

/** The query string of every `/v1/metrics/…` route (unknown parameters are refused). */
export const metricsParamsSchema = z.strictObject({
  ...RANGE_FILTER_PARAMS,
  bucket: z.enum(['hour', 'day']).optional(),
  min_volume: count(1_000_000).optional(),
  window_minutes: count(1_440).optional(),
});

/**
 * The query string of the generation metrics (`/v1/metrics/cost|calls|phases|queue|stuck`): the
 * range and the filters, nothing else (unknown parameters are refused).
 */
export const generationMetricsParamsSchema = metricsParamsSchema.omit({
  bucket: true,
  min_volume: true,
  window_minutes: true,
});

/** Validated metrics parameters, with the range resolved. */
export interface MetricsParams {
  query: MetricsQuery;
  bucket: 'hour' | 'day' | undefined;
  minVolume: number | undefined;
  windowMinutes: number | undefined;
}

const within = (t: Date) => t >= EARLIEST_TIME && t <= LATEST_TIME;
const SUPPORTED = `${EARLIEST_TIME.toISOString()} … ${LATEST_TIME.toISOString()}`;

/**
 * Parses and checks the metrics query of `url` (see `parseQuery`: no NUL, bad escape, repeated or
 * unknown name); a bad value is a 400 `INVALID_QUERY` problem naming the parameter. `to`
 * defaults to now, `from` to 7 days before `to`. The range and the comparison window of the same
 * length before it (failures' trend) must lie within {@link EARLIEST_TIME} … {@link LATEST_TIME}.
 */
export function parseMetricsParams(
  url: string,
  now: Date,
  schema: typeof metricsParamsSchema | typeof generationMetricsParamsSchema = metricsParamsSchema,
): MetricsParams {
  const p = parseQuery(url, schema) as z.output<typeof metricsParamsSchema>;
  const to = p.to ? new Date(p.to) : now;
  const from = p.from ? new Date(p.from) : new Date(to.getTime() - DEFAULT_RANGE_DAYS * DAY_MS);
  // The parameter to blame for the start of the range: `from`, or `to` when `from` is implied.
  const start = p.from ? 'from' : 'to';
  const outside: FieldProblem[] = [];
  if (!within(to)) outside.push({ field: 'to', message: `must lie within ${SUPPORTED}` });
  if (!within(from) && (start === 'from' || outside.length === 0))
    outside.push({ field: start, message: `the range must start within ${SUPPORTED}` });
  if (outside.length > 0) throw queryProblem(outside);
  if (from >= to) throw queryProblem([{ field: 'from', message: 'must be before to' }]);
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS)
    throw new ProblemError(400, 'INVALID_QUERY', `the range may span at most ${MAX_RANGE_DAYS} days`, [
      { field: 'from', message: `at most ${MAX_RANGE_DAYS} days before to` },
    ]);
  if (from.getTime() - (to.getTime() - from.getTime()) < EARLIEST_TIME.getTime())
    throw queryProblem([
      {
        field: start,
        message: `the comparison window (as long as the range, just before it) must start at or after ${EARLIEST_TIME.toISOString()}`,
      },
    ]);
  return {
    query: {
      from,
      to,
      provider: p.provider,
      model: p.model,
      promptContractVersion: p.prompt_contract_version,
      source: p.source,
      flow: p.flow,
    },
    bucket: p.bucket,
    minVolume: p.min_volume,
    windowMinutes: p.window_minutes,
  };
}
