import type { PropValue } from './catalog.js';
import type { ClientStats } from './stats.js';

/** Umami's limit on the number of keys of one event's data. */
export const MAX_PROP_KEYS = 50;
/** Umami's limit on the length of a string value. */
export const MAX_STRING_LENGTH = 500;

function isPropValue(value: unknown): value is PropValue {
  if (value === null || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && value.length <= MAX_STRING_LENGTH;
}

/**
 * A copy of `props` that Umami accepts: keeps string (≤ 500 chars), finite number, boolean and
 * null values, at most `maxKeys` keys. Every other key is dropped and counted in
 * `stats.dropped`; `undefined` (an omitted optional key) is skipped without counting.
 *
 * @example
 * sanitizeProps({ a: 1, b: { nested: true } }, stats); // { a: 1 }, stats.dropped === 1
 */
export function sanitizeProps(
  props: unknown,
  stats: ClientStats,
  maxKeys = MAX_PROP_KEYS,
): Record<string, PropValue> {
  const clean: Record<string, PropValue> = {};
  if (typeof props !== 'object' || props === null) {
    if (props !== undefined) stats.dropped++;
    return clean;
  }
  let kept = 0;
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined) continue;
    if (kept < maxKeys && isPropValue(value)) {
      clean[key] = value;
      kept++;
    } else stats.dropped++;
  }
  return clean;
}
