import type { Database } from '../storage/index.js';
import { KeyError } from './key-error.js';

const UNDEFINED_TABLE = '42P01';

/**
 * Runs a query on `api_keys`, turning "the table does not exist" into a {@link KeyError}
 * `KEYS_TABLE_MISSING` that says to run the migrations.
 */
export async function onKeysTable<T>(database: Database, query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (error) {
    if ((error as { code?: unknown }).code === UNDEFINED_TABLE) {
      throw new KeyError(
        'KEYS_TABLE_MISSING',
        `there is no ${database.schema}.api_keys table yet: run \`tripmeter migrate\` first`,
      );
    }
    throw error;
  }
}
