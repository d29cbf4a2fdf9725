import { z } from 'zod';
import { type AttemptsCursor, type AttemptsFilter, decodeCursor } from '../../attempts/index.js';
import { FAILURE_KINDS } from '../../domain/index.js';
import { EARLIEST_TIME, LATEST_TIME, MAX_RANGE_DAYS, RANGE_FILTER_PARAMS } from './metrics-params.js';
import { parseQuery, queryProblem } from './parse-query.js';

const DAY_MS = 86_400_000;
const label = z.string().min(1).max(128);

/**
 * The query of `GET /v1/attempts` (unknown parameters are refused): the metrics filters, the
 * outcome, who the attempt belongs to, and the page.
 */
export const attemptsQuerySchema = z.strictObject({
  ...RANGE_FILTER_PARAMS,
  status: z.enum(['pending', 'success', 'failed']).optional(),
  error_code: label.optional(),
  failure_kind: z.enum(FAILURE_KINDS).optional(),
  trip_id: label.optional(),
  anon_session_id: label.optional(),
  user_id: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(120).optional(),
});

/** The validated list query. */
export interface AttemptsParams {
  filter: AttemptsFilter;
  limit: number;
  after: AttemptsCursor | undefined;
}

/**
 * Parses `GET /v1/attempts`'s query. `to` defaults to now; `from` to 7 days before it, except
 * when the list looks up one subject or trip (`trip_id`, `anon_session_id`, `user_id`): then it
 * reaches back to the oldest raw row. Every refusal is a 400 `INVALID_QUERY` naming the parameter.
 */
export function parseAttemptsParams(url: string, now: Date): AttemptsParams {
  const p = parseQuery(url, attemptsQuerySchema);
  const to = p.to ? new Date(p.to) : now;
  const lookup = p.trip_id !== undefined || p.anon_session_id !== undefined || p.user_id !== undefined;
  const from = p.from ? new Date(p.from) : lookup ? undefined : new Date(to.getTime() - 7 * DAY_MS);
  if (to < EARLIEST_TIME || to > LATEST_TIME) throw queryProblem([{ field: 'to', message: 'out of range' }]);
  if (from && (from < EARLIEST_TIME || from >= to))
    throw queryProblem([{ field: 'from', message: 'must be before to, and after 1970' }]);
  if (from && to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS)
    throw queryProblem([{ field: 'from', message: `at most ${MAX_RANGE_DAYS} days before to` }]);
  const after = p.cursor === undefined ? undefined : decodeCursor(p.cursor);
  if (p.cursor !== undefined && !after)
    throw queryProblem([{ field: 'cursor', message: 'not a cursor of this list' }]);
  return {
    filter: {
      from,
      to,
      status: p.status,
      errorCode: p.error_code,
      failureKind: p.failure_kind,
      provider: p.provider,
      model: p.model,
      promptContractVersion: p.prompt_contract_version,
      flow: p.flow,
      source: p.source,
      tripId: p.trip_id,
      anonSessionId: p.anon_session_id,
      userId: p.user_id,
    },
    limit: p.limit,
    after,
  };
}
