import { truncateCodePoints } from './truncate.js';

/**
 * A rule of one input-snapshot field: what a stored value must be (`check`) and how a raw value
 * from the app is read (`read`: strict for small values, cutting down text and lists instead of
 * refusing them). Plain functions rather than a schema library: `tripmeter/http` carries these
 * rules to edge runtimes, where the full zod weighed 450 KB and zod/mini still 25 KB.
 */
export interface FieldRule<T> {
  /** Whether `value` may be stored as is. */
  readonly check: (value: unknown) => value is T;
  /** Reads a raw value: the kept value, or `undefined` when nothing can be kept. */
  readonly read: (value: unknown) => FieldRead;
}

/** Result of reading one raw value; `partial` when some list items were left out. */
export type FieldRead = { ok: true; value: unknown; partial: boolean } | { ok: false };

/** The type a rule keeps. */
export type RuleValue<R> = R extends FieldRule<infer T> ? T : never;

const FAILED: FieldRead = Object.freeze({ ok: false });

/** A rule whose read is its check: the value is kept unchanged or not at all. */
function strict<T>(check: (value: unknown) => value is T): FieldRule<T> {
  return { check, read: (value) => (check(value) ? { ok: true, value, partial: false } : FAILED) };
}

/** One of a fixed set of strings. */
export function oneOf<const S extends readonly string[]>(set: S): FieldRule<S[number]> {
  return strict((value): value is S[number] => typeof value === 'string' && set.includes(value));
}

/** An integer within `min`–`max`. */
export function integer(min: number, max: number): FieldRule<number> {
  return strict(
    (value): value is number =>
      Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max,
  );
}

/** `true` or `false`. */
export const flag: FieldRule<boolean> = strict((value): value is boolean => typeof value === 'boolean');

/** A calendar date `YYYY-MM-DD` that exists (no 2026-02-30). */
export const isoDate: FieldRule<string> = strict((value): value is string => {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [year, month, day] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
});

/** A string matching `pattern`, of at most `max` UTF-16 units. */
export function matching(pattern: RegExp, max = Number.POSITIVE_INFINITY): FieldRule<string> {
  return strict(
    (value): value is string => typeof value === 'string' && value.length <= max && pattern.test(value),
  );
}

/** Free text of at most `max` code points; a longer one is read cut to `max`. */
export function text(max: number): FieldRule<string> {
  return {
    check: (value): value is string => typeof value === 'string' && [...value].length <= max,
    read: (value) =>
      typeof value === 'string'
        ? { ok: true, value: truncateCodePoints(value, max), partial: false }
        : FAILED,
  };
}

/**
 * A list of at most `max` items, each passing `item`. Reading keeps the items `item` can read (cut
 * down as it reads them), drops the others and marks the read partial, then keeps the first `max`.
 */
export function list<T>(item: FieldRule<T>, max = Number.POSITIVE_INFINITY): FieldRule<T[]> {
  return {
    check: (value): value is T[] => Array.isArray(value) && value.length <= max && value.every(item.check),
    read: (value) => {
      if (!Array.isArray(value)) return FAILED;
      const kept: unknown[] = [];
      for (const raw of value) {
        const read = item.read(raw);
        if (read.ok) kept.push(read.value);
      }
      const value_ = kept.length > max ? kept.slice(0, max) : kept;
      return { ok: true, value: value_, partial: value_.length < value.length };
    },
  };
}

/** Either of two rules; reading tries the first, then the second. */
export function either<A, B>(first: FieldRule<A>, second: FieldRule<B>): FieldRule<A | B> {
  return {
    check: (value): value is A | B => first.check(value) || second.check(value),
    read: (value) => {
      const read = first.read(value);
      return read.ok ? read : second.read(value);
    },
  };
}

/** A rule from a type guard: kept unchanged or not at all. */
export function guarded<T>(check: (value: unknown) => value is T): FieldRule<T> {
  return strict(check);
}
