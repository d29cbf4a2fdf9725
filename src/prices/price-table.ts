import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { type PriceEntry, priceListSchema } from '../config/index.js';
import { type Database, MIGRATIONS_DIR } from '../storage/index.js';

/** The shipped list: `migrations/model-prices.json` (shipped with the migrations). */
export const SHIPPED_PRICES_FILE = `${MIGRATIONS_DIR}model-prices.json`;

/** A stored price row, as `tripmeter prices list` shows it (prices as exact decimal strings). */
export interface StoredPrice {
  provider: string;
  model: string;
  validFrom: string;
  input: string;
  output: string;
  cachedInput: string | null;
  reasoning: string | null;
  version: string;
}

/** Reads and checks a price list file (an array of entries, or `{ "prices": [ … ] }`). */
export function readPriceFile(path: string): PriceEntry[] {
  const parsed = priceListSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${path}: ${issue.path.join('.') || '(file)'} ${issue.message}`);
  }
  return parsed.data;
}

/** The version a row is known by in `price_version` when the entry names none. */
export const versionOf = (entry: PriceEntry) =>
  entry.version ?? `${entry.provider}/${entry.model}@${entry.validFrom}`;

/**
 * Writes price rows. `replace` (set, import, the `prices` setting) overwrites the row of the same
 * provider, model and day; otherwise (the shipped list) a row already there is kept, so an
 * operator's price is never reverted by an upgrade. Returns the rows written.
 */
export async function writePrices(
  database: Database,
  entries: PriceEntry[],
  replace: boolean,
): Promise<number> {
  if (entries.length === 0) return 0;
  const table = sql.table(`${database.schema}.model_prices`);
  const rows = entries.map(
    (e) =>
      sql`(${e.provider}, ${e.model}, ${e.validFrom}::date, ${e.input}::numeric, ${e.output}::numeric,
        ${e.cachedInput ?? null}::numeric, ${e.reasoning ?? null}::numeric, ${versionOf(e)})`,
  );
  const result = await sql`
    INSERT INTO ${table} AS p (provider, model, valid_from, input_per_mtok, output_per_mtok,
      cached_input_per_mtok, reasoning_per_mtok, version)
    VALUES ${sql.join(rows)}
    ON CONFLICT (provider, model, valid_from) DO ${
      replace
        ? sql`UPDATE SET input_per_mtok = excluded.input_per_mtok, output_per_mtok = excluded.output_per_mtok,
            cached_input_per_mtok = excluded.cached_input_per_mtok, reasoning_per_mtok = excluded.reasoning_per_mtok,
            version = excluded.version, updated_at = now()`
        : sql`NOTHING`
    }`.execute(database.db);
  return Number(result.numAffectedRows ?? 0n);
}

/**
 * Loads the shipped list (rows absent only), then the `prices` setting over it: what `migrate`
 * and `serve` run at start. Calls already stored keep their cost until `prices recompute`.
 */
export async function loadPrices(database: Database, configured: PriceEntry[] = []): Promise<number> {
  const shipped = await writePrices(database, readPriceFile(SHIPPED_PRICES_FILE), false);
  return shipped + (await writePrices(database, configured, true));
}

/** Every price row, by provider, model and day. */
export async function listPrices(database: Database): Promise<StoredPrice[]> {
  const result = await sql<StoredPrice>`
    SELECT provider, model, to_char(valid_from, 'YYYY-MM-DD') AS "validFrom",
      input_per_mtok::text AS input, output_per_mtok::text AS output,
      cached_input_per_mtok::text AS "cachedInput", reasoning_per_mtok::text AS reasoning, version
    FROM ${sql.table(`${database.schema}.model_prices`)}
    ORDER BY provider, model, valid_from`.execute(database.db);
  return result.rows;
}
