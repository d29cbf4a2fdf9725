import type { Kysely } from 'kysely';
import type { AlertDataSource } from './data-source.js';
import { selectErrorCodeCounts } from './select-error-code-counts.js';
import { selectProviderModelCounts } from './select-provider-model-counts.js';
import { selectRangeTotals } from './select-range-totals.js';
import { selectStuckCount } from './select-stuck-count.js';
import { selectSuccessCost } from './select-success-cost.js';

/**
 * The detector's data source over the raw `trip_creation_attempts` table of `schema`. Pass a
 * transaction to read inside the leader's transaction.
 *
 * @example
 * const source = sqlDataSource(database.db, database.schema);
 */
// biome-ignore lint/suspicious/noExplicitAny: any Kysely handle (the app's or a transaction) will do
export function sqlDataSource(db: Kysely<any>, schema: string): AlertDataSource {
  return {
    totals: (range) => selectRangeTotals(db, schema, range),
    byProviderModel: (range) => selectProviderModelCounts(db, schema, range),
    byErrorCode: (range) => selectErrorCodeCounts(db, schema, range),
    stuck: (startedBefore) => selectStuckCount(db, schema, startedBefore),
    costOfSuccesses: (range) => selectSuccessCost(db, schema, range),
  };
}
