import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { PriceEntry } from '../../src/config/index.js';
import { usdText } from '../../src/domain/index.js';
import {
  costSql,
  PriceBook,
  type PricedCall,
  priceJoin,
  pricesSql,
  writePrices,
} from '../../src/prices/index.js';
import { describeOnDatabases } from '../support/databases.js';

/**
 * The write path prices a call two ways: in SQL (`priceJoin` + `costSql`, for calls merged into
 * stored attempts) and in JavaScript (`PriceBook`, for the bulk COPY of new requests). Both must
 * give the same version and the same decimal for every call: here a grid of prices, models
 * (requested, answered, unpriced), days on either side of a `valid_from` and token counts (missing,
 * cached above input, reasoning above output, near the largest a stored cost can hold).
 */
const PRICES: PriceEntry[] = [
  { provider: 'p', model: 'm-a', validFrom: '2025-01-01', input: 2, output: 12 },
  { provider: 'p', model: 'm-a', validFrom: '2026-03-10', input: 2.5, output: 15, cachedInput: 0.25 },
  {
    provider: 'p',
    model: 'm-b',
    validFrom: '2026-01-01',
    input: 1.25,
    output: 10,
    cachedInput: 0.125,
    reasoning: 20,
    version: 'b-2026',
  },
  {
    provider: 'p',
    model: 'm-c',
    validFrom: '2026-06-01',
    input: 0.000001,
    output: 9999.999999,
    reasoning: 0,
  },
  { provider: 'q', model: 'm-a', validFrom: '2000-01-01', input: 3, output: 4, cachedInput: 3.333333 },
];

const TOKENS: Pick<PricedCall, 'inputTokens' | 'outputTokens' | 'cachedInputTokens' | 'reasoningTokens'>[] = [
  {},
  { inputTokens: 1_000 },
  { inputTokens: 1_000, cachedInputTokens: 200, outputTokens: 800, reasoningTokens: 100 },
  { inputTokens: 100, cachedInputTokens: 300, outputTokens: 7 },
  { outputTokens: 50, reasoningTokens: 80 },
  { inputTokens: 1, outputTokens: 1, cachedInputTokens: 1, reasoningTokens: 1 },
  { inputTokens: 2_000_000_000, outputTokens: 2_000_000_000, cachedInputTokens: 999_999_999 },
];

const DAYS = [
  '2024-12-31T23:59:59.999Z',
  '2025-01-01T00:00:00.000Z',
  '2026-03-09T23:59:59.999Z',
  '2026-03-10T00:00:00.000Z',
  '2026-07-01T12:34:56.789Z',
];

function grid(): PricedCall[] {
  const calls: PricedCall[] = [];
  for (const provider of ['p', 'q', 'x'])
    for (const model of ['m-a', 'm-b', 'm-c', 'zz'])
      for (const responseModel of [undefined, 'm-a', 'm-b', 'zz'])
        for (const day of DAYS)
          for (const tokens of TOKENS)
            calls.push({ provider, model, responseModel, occurredAt: new Date(day), ...tokens });
  return calls;
}

describeOnDatabases('prices: the JavaScript cost equals the SQL cost', ({ open }) => {
  it('gives the same price version and cost decimal for every call of the grid', async () => {
    const database = await open();
    await writePrices(database, PRICES, true);
    const pricesTable = `${database.schema}.model_prices`;
    const calls = grid();
    const column = <T>(read: (c: PricedCall) => T) => calls.map(read);
    const result = await sql<{ k: string; cost: string | null; version: string | null }>`
      SELECT c.k::text AS k, (${costSql('c')})::text AS cost, price.version
      FROM unnest(${column((c) => c.provider)}::text[], ${column((c) => c.model)}::text[],
        ${column((c) => c.responseModel ?? null)}::text[], ${column((c) => c.occurredAt.toISOString())}::timestamptz[],
        ${column((c) => c.inputTokens ?? null)}::integer[], ${column((c) => c.outputTokens ?? null)}::integer[],
        ${column((c) => c.cachedInputTokens ?? null)}::integer[], ${column((c) => c.reasoningTokens ?? null)}::integer[])
        WITH ORDINALITY AS c(provider, model, response_model, created_at, input_tokens, output_tokens,
          cached_input_tokens, reasoning_tokens, k)
      ${priceJoin(pricesTable, 'c')}
      ORDER BY c.k`.execute(database.db);
    const book = new PriceBook((await pricesSql(pricesTable).execute(database.db)).rows);
    const js = calls.map((call, k) => {
      const { version, picoUsd } = book.price(call);
      return { k: String(k + 1), cost: picoUsd === null ? null : usdText(picoUsd), version };
    });
    expect(js).toEqual(result.rows);
    // The grid reaches every branch: priced by the answering model, by the requested one, unpriced.
    const versions = new Set(result.rows.map((row) => row.version));
    expect(versions).toEqual(
      new Set([
        null,
        'p/m-a@2025-01-01',
        'p/m-a@2026-03-10',
        'b-2026',
        'p/m-c@2026-06-01',
        'q/m-a@2000-01-01',
      ]),
    );
    expect(result.rows.filter((row) => row.cost === null).length).toBeGreaterThan(100);
    expect(result.rows.some((row) => row.cost !== null && row.cost.length > 20)).toBe(true);
  });
});
