import { type RawBuilder, sql } from 'kysely';

/**
 * The price of a call and its cost, as SQL over a row aliased `alias` with the columns of
 * `trip_creation_provider_calls` (`provider`, `model`, `response_model`, `created_at` and the four
 * token counts). One declaration for the write path (cost at write time) and for
 * `tripmeter prices recompute`, so both price a call the same way. The write path's bulk inserts
 * price calls in JavaScript by the same rule (cost.ts: change both together; a parity test
 * compares them on a grid of calls).
 *
 * The price row: the call's provider and the model that answered when it has a price valid on the
 * call's day (UTC), else the model requested; of those, the latest `valid_from` on or before that
 * day. Joined as `price` (`version`, the four prices); no row means unpriced.
 */
export function priceJoin(pricesTable: string, alias: string): RawBuilder<unknown> {
  const c = (column: string) => sql.ref(`${alias}.${column}`);
  return sql`LEFT JOIN LATERAL (
    SELECT p.version, p.input_per_mtok, p.output_per_mtok, p.cached_input_per_mtok, p.reasoning_per_mtok
    FROM ${sql.table(pricesTable)} AS p
    WHERE p.provider = ${c('provider')}
      AND p.model IN (${c('model')}, coalesce(${c('response_model')}, ${c('model')}))
      AND p.valid_from <= (${c('created_at')} AT TIME ZONE 'UTC')::date
    ORDER BY (p.model = coalesce(${c('response_model')}, ${c('model')})) DESC, p.valid_from DESC
    LIMIT 1) AS price ON true`;
}

/**
 * The cost in USD of the call `alias` at the joined `price` ({@link priceJoin}); NULL when unpriced
 * (never 0). Per million tokens:
 *
 *   (input − cached) × input + cached × (cached_input, else input)
 *   + output × output                                   when the model has no reasoning price
 *   + (output − reasoning) × output + reasoning × reasoning   when it has one
 *
 * `input_tokens` includes the cached ones and `output_tokens` the reasoning ones, as OpenAI reports
 * them and providers bill them (reasoning is billed as output unless a reasoning price is set).
 * Missing counts are 0; differences never go below 0.
 */
export function costSql(alias: string): RawBuilder<string | null> {
  const n = (column: string) => sql`coalesce(${sql.ref(`${alias}.${column}`)}, 0)::numeric`;
  return sql<string | null>`CASE WHEN price.version IS NULL THEN NULL ELSE round((
      greatest(${n('input_tokens')} - ${n('cached_input_tokens')}, 0) * price.input_per_mtok
      + ${n('cached_input_tokens')} * coalesce(price.cached_input_per_mtok, price.input_per_mtok)
      + CASE WHEN price.reasoning_per_mtok IS NULL THEN ${n('output_tokens')} * price.output_per_mtok
        ELSE greatest(${n('output_tokens')} - ${n('reasoning_tokens')}, 0) * price.output_per_mtok
          + ${n('reasoning_tokens')} * price.reasoning_per_mtok END
    ) / 1000000, 12) END`;
}
