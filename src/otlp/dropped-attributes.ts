/** Distinct keys a tally holds before it folds new keys into {@link OTHER_KEY}. */
export const DEFAULT_MAX_DROPPED_KEYS = 200;
/** The bucket of keys past the bound. */
export const OTHER_KEY = 'other';
/** Longest key kept in a tally; a longer one is cut (keys are labels of a metric). */
const MAX_KEY_LENGTH = 100;

/**
 * Counts of dropped attributes by key, bounded: after `maxKeys` distinct keys, new keys count under
 * `other`, so a sender inventing keys cannot grow the map (or a metric's label set) without bound.
 * One tally per export; {@link DroppedAttributeTally.addAll} folds it into a process-wide one.
 *
 * @example
 * const tally = new DroppedAttributeTally();
 * tally.add('gen_ai.input.messages');
 * tally.counts(); // Map { 'gen_ai.input.messages' => 1 }
 */
export class DroppedAttributeTally {
  readonly #counts = new Map<string, number>();

  constructor(private readonly maxKeys = DEFAULT_MAX_DROPPED_KEYS) {}

  /** Counts `n` dropped attributes under `key`. */
  add(key: string, n = 1): void {
    const label = key.length > MAX_KEY_LENGTH ? key.slice(0, MAX_KEY_LENGTH) : key;
    const known = this.#counts.get(label);
    if (known !== undefined) this.#counts.set(label, known + n);
    else if (this.#counts.size < this.maxKeys || label === OTHER_KEY) this.#counts.set(label, n);
    else this.#counts.set(OTHER_KEY, (this.#counts.get(OTHER_KEY) ?? 0) + n);
  }

  /** Adds every count of `other` (e.g. an export's tally into the process's). */
  addAll(other: ReadonlyMap<string, number>): void {
    for (const [key, n] of other) this.add(key, n);
  }

  /** The counts so far; the map is the tally's own, do not change it. */
  counts(): ReadonlyMap<string, number> {
    return this.#counts;
  }

  /** Total attributes dropped. */
  total(): number {
    let sum = 0;
    for (const n of this.#counts.values()) sum += n;
    return sum;
  }
}
