import { z } from 'zod';
import { SOURCE_PATTERN } from '../../domain/index.js';
import type { MetricsQuery } from '../../metrics/index.js';
import { ProblemError } from '../../web/index.js';

const DAY_MS = 86_400_000;
/** The longest range a metrics request may ask for. */
export const MAX_RANGE_DAYS = 400;
/** The range when `from` is absent: 7 days before `to`. */
export const DEFAULT_RANGE_DAYS = 7;

const label = z.string().min(1).max(128);
const count = (max: number) => z.coerce.number().int().min(1).max(max);

/** The query string of every `/v1/metrics/…` route (unknown parameters are refused). */
export const metricsParamsSchema = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  provider: label.optional(),
  model: label.optional(),
  prompt_contract_version: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - (1–64)')
    .optional(),
  source: z.string().regex(SOURCE_PATTERN, 'a lower-case source label such as app').optional(),
  bucket: z.enum(['hour', 'day']).optional(),
  min_volume: count(1_000_000).optional(),
  window_minutes: count(1_440).optional(),
});

/** Validated metrics parameters, with the range resolved. */
export interface MetricsParams {
  query: MetricsQuery;
  bucket: 'hour' | 'day' | undefined;
  minVolume: number | undefined;
  windowMinutes: number | undefined;
}

/**
 * Parses and checks a metrics query string; a bad value is a 400 `INVALID_QUERY` problem naming
 * the field. `to` defaults to now, `from` to 7 days before `to`.
 */
export function parseMetricsParams(raw: Record<string, string>, now: Date): MetricsParams {
  const parsed = metricsParamsSchema.safeParse(raw);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => ({
      field:
        issue.path.length > 0
          ? issue.path.join('.')
          : String((issue as { keys?: string[] }).keys?.[0] ?? 'query'),
      message: issue.message,
    }));
    throw new ProblemError(
      400,
      'INVALID_QUERY',
      `bad query parameter: ${errors.map((e) => e.field).join(', ')}`,
      errors,
    );
  }
  const p = parsed.data;
  const to = p.to ? new Date(p.to) : now;
  const from = p.from ? new Date(p.from) : new Date(to.getTime() - DEFAULT_RANGE_DAYS * DAY_MS);
  if (from >= to)
    throw new ProblemError(400, 'INVALID_QUERY', '`from` must be before `to`', [
      { field: 'from', message: 'must be before to' },
    ]);
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS)
    throw new ProblemError(400, 'INVALID_QUERY', `the range may span at most ${MAX_RANGE_DAYS} days`, [
      { field: 'from', message: `at most ${MAX_RANGE_DAYS} days before to` },
    ]);
  return {
    query: {
      from,
      to,
      provider: p.provider,
      model: p.model,
      promptContractVersion: p.prompt_contract_version,
      source: p.source,
    },
    bucket: p.bucket,
    minVolume: p.min_volume,
    windowMinutes: p.window_minutes,
  };
}
