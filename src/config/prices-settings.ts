import { z } from 'zod';

const perMillion = z.number().min(0).max(1_000_000);

/**
 * One price row: USD per million tokens of a provider's model, valid from a day (UTC) until the
 * next row of the same model. `cachedInput` defaults to `input`; without `reasoning`, reasoning
 * tokens are priced as output (providers bill them so). `version` names the row in each priced
 * call's `price_version` (default `<provider>/<model>@<validFrom>`).
 *
 * @example
 * { "provider": "openai", "model": "gpt-5.4", "validFrom": "2026-01-01", "input": 1.25, "output": 10, "cachedInput": 0.125 }
 */
export const priceEntrySchema = z.strictObject({
  provider: z.string().min(1).max(128),
  model: z.string().min(1).max(128),
  validFrom: z.iso.date({ error: 'must be a day, YYYY-MM-DD' }).default('2000-01-01'),
  input: perMillion,
  output: perMillion,
  cachedInput: perMillion.optional(),
  reasoning: perMillion.optional(),
  version: z.string().min(1).max(128).optional(),
});

/** One price row (see {@link priceEntrySchema}). */
export type PriceEntry = z.output<typeof priceEntrySchema>;

/** A price list: an array of entries, or `{ "prices": [ … ] }` (the shipped file's form). */
export const priceListSchema = z.union([
  z.array(priceEntrySchema),
  z
    .strictObject({ note: z.string().optional(), prices: z.array(priceEntrySchema) })
    .transform((v) => v.prices),
]);

/**
 * The `prices` setting (config file key `prices`, or JSON in `TRIPMETER_PRICES`): rows written
 * over the shipped list at `migrate` and `serve` start (same provider, model and day: replaced).
 */
export const pricesSettingSchema = z.preprocess((value) => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}, priceListSchema.optional());
