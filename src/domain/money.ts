/**
 * Exact decimal amounts as integers of a fixed scale: prices are `numeric(14, 6)` (millionths of a
 * USD per million tokens), costs `numeric(20, 12)` (10⁻¹² USD, "pico-USD"). The write path prices
 * calls with them, the metrics add costs with them, both without a float in between.
 */

/** The scale of a cost: `cost_usd numeric(20, 12)`. */
export const PICO_USD_SCALE = 12;

/**
 * Decimal text (as PostgreSQL writes a `numeric`) → a whole number of 10^-`scale` units:
 * `decimalUnits('12.5', 6)` is `12500000n`. Digits past `scale` are cut (a column of that scale
 * never has them).
 */
export function decimalUnits(text: string, scale: number): bigint {
  const negative = text.startsWith('-');
  const [whole = '', fraction = ''] = text.slice(negative ? 1 : 0).split('.');
  const value =
    BigInt(whole || '0') * 10n ** BigInt(scale) + BigInt(fraction.padEnd(scale, '0').slice(0, scale) || '0');
  return negative ? -value : value;
}

/** Decimal text of a USD amount → pico-USD: `picoUsd('0.024625')` is `24625000000n`. */
export const picoUsd = (text: string): bigint => decimalUnits(text, PICO_USD_SCALE);

/** Pico-USD as the decimal text of `numeric(20, 12)`: `24625000000n` → `'0.024625000000'`. */
export function usdText(pico: bigint): string {
  const negative = pico < 0n;
  const digits = (negative ? -pico : pico).toString().padStart(PICO_USD_SCALE + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -PICO_USD_SCALE)}.${digits.slice(-PICO_USD_SCALE)}`;
}
