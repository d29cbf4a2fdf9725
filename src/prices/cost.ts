import { type RawBuilder, sql } from 'kysely';
import { decimalUnits, type ProviderCallRecord } from '../domain/index.js';

/**
 * The price of a call and its cost, in JavaScript: the same rule as {@link priceJoin} and
 * {@link costSql} (cost-sql.ts, read them side by side), for the write path's bulk inserts, which
 * build rows in JavaScript and COPY them. test/generation/price-parity.test.ts prices a grid of
 * calls both ways on both engines, so the two cannot drift apart.
 *
 * Exact, as PostgreSQL's `numeric` is: prices are `numeric(14, 6)` (whole millionths of a USD
 * per million tokens) and tokens integers, so a cost is a whole number of 10⁻¹² USD, the scale of
 * `cost_usd numeric(20, 12)`. It is computed in BigInt and written as that decimal.
 */

/** A row of `model_prices` as {@link pricesSql} reads it (prices as exact decimal text). */
export interface PriceRow {
  provider: string;
  model: string;
  /** `YYYY-MM-DD`. */
  valid_from: string;
  input_per_mtok: string;
  output_per_mtok: string;
  cached_input_per_mtok: string | null;
  reasoning_per_mtok: string | null;
  version: string;
}

/** Every row of the price table (a few dozen: read once per write transaction that prices calls). */
export const pricesSql = (pricesTable: string): RawBuilder<PriceRow> => sql<PriceRow>`
  SELECT provider, model, to_char(valid_from, 'YYYY-MM-DD') AS valid_from,
    input_per_mtok::text AS input_per_mtok, output_per_mtok::text AS output_per_mtok,
    cached_input_per_mtok::text AS cached_input_per_mtok, reasoning_per_mtok::text AS reasoning_per_mtok,
    version
  FROM ${sql.table(pricesTable)}`;

/** One price row, in millionths of a USD per million tokens. */
interface Price {
  validFrom: string;
  version: string;
  input: bigint;
  output: bigint;
  cachedInput: bigint | null;
  reasoning: bigint | null;
}

/** What pricing reads of a call (a {@link ProviderCallRecord} has it all). */
export type PricedCall = Pick<
  ProviderCallRecord,
  | 'provider'
  | 'model'
  | 'responseModel'
  | 'occurredAt'
  | 'inputTokens'
  | 'outputTokens'
  | 'cachedInputTokens'
  | 'reasoningTokens'
>;

/** A call's price version and cost in 10⁻¹² USD; both null when unpriced (never 0). */
export interface CallCost {
  version: string | null;
  picoUsd: bigint | null;
}

const UNPRICED: CallCost = Object.freeze({ version: null, picoUsd: null });

/** `"12.5"` → millionths (a `numeric(14, 6)` has six decimals). */
const micros = (text: string): bigint => decimalUnits(text, 6);

/** A call's UTC day as `YYYY-MM-DD`: `(created_at AT TIME ZONE 'UTC')::date`. */
const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/**
 * The price table in memory, by provider and model (each model's rows latest first), and the cost
 * of a call at it.
 *
 * @example
 * const book = new PriceBook(await tx.query(pricesSql(`${schema}.model_prices`)));
 * const { version, picoUsd } = book.price(call);
 * const cost = picoUsd === null ? null : usdText(picoUsd); // '0.009025000000'
 */
export class PriceBook {
  private readonly byModel = new Map<string, Price[]>();

  constructor(rows: readonly PriceRow[]) {
    for (const row of rows) {
      const key = `${row.provider}\u0000${row.model}`;
      let prices = this.byModel.get(key);
      if (!prices) {
        prices = [];
        this.byModel.set(key, prices);
      }
      prices.push({
        validFrom: row.valid_from,
        version: row.version,
        input: micros(row.input_per_mtok),
        output: micros(row.output_per_mtok),
        cachedInput: row.cached_input_per_mtok === null ? null : micros(row.cached_input_per_mtok),
        reasoning: row.reasoning_per_mtok === null ? null : micros(row.reasoning_per_mtok),
      });
    }
    for (const prices of this.byModel.values()) prices.sort((a, b) => (a.validFrom < b.validFrom ? 1 : -1));
  }

  /** The latest row of a provider's model valid on `day`, if any. */
  private rowOn(provider: string, model: string, day: string): Price | undefined {
    const prices = this.byModel.get(`${provider}\u0000${model}`);
    return prices?.find((p) => p.validFrom <= day);
  }

  /**
   * The price of a call as {@link priceJoin} picks it: the model that answered when it has a price
   * valid on the call's day (UTC), else the model requested; the latest `valid_from` on or before
   * that day. Its cost as {@link costSql} computes it; unpriced: both null.
   */
  price(call: PricedCall): CallCost {
    if (this.byModel.size === 0) return UNPRICED;
    const day = utcDay(call.occurredAt);
    const answered = call.responseModel ?? call.model;
    const price =
      this.rowOn(call.provider, answered, day) ??
      (answered === call.model ? undefined : this.rowOn(call.provider, call.model, day));
    if (!price) return UNPRICED;
    const n = (tokens: number | undefined) => BigInt(tokens ?? 0);
    const positive = (x: bigint) => (x > 0n ? x : 0n);
    const input = n(call.inputTokens);
    const cached = n(call.cachedInputTokens);
    const output = n(call.outputTokens);
    const reasoning = n(call.reasoningTokens);
    let cost = positive(input - cached) * price.input + cached * (price.cachedInput ?? price.input);
    cost +=
      price.reasoning === null
        ? output * price.output
        : positive(output - reasoning) * price.output + reasoning * price.reasoning;
    // tokens × millionths of a USD per million tokens = 10⁻¹² USD: the division by 10⁶ is exact.
    return { version: price.version, picoUsd: cost };
  }
}
