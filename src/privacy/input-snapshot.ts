import type { InputSnapshot, SnapshotField } from './input-schema.js';
import { isSnapshotField, readField, SNAPSHOT_FIELDS } from './input-schema.js';
import { TRAVELER_COUNT_KEYS } from './input-values.js';
import type { NotesPolicy } from './notes-policy.js';
import { applyNotesPolicy, isNotesPolicy } from './notes-policy.js';
import { DEFAULT_NOTES_MAX_LENGTH } from './redact.js';

/** Options of {@link snapshotInput}. */
export interface SnapshotOptions {
  /** What to keep of `notes` (default `redact`; an unknown value also means `redact`). */
  notesPolicy?: NotesPolicy;
  /** Longest kept notes, in code points (default 280). */
  notesMaxLength?: number;
}

/** Result of {@link snapshotInput}: the snapshot and how many keys it left out. */
export interface SnapshotResult {
  snapshot: InputSnapshot;
  /** Keys not on the allowlist (including non-count `travelerDetails` and extra `aiTarget` keys). */
  droppedKeys: number;
  /** Allowlisted keys whose value had the wrong type or value (arrays that lost items count once). */
  invalidKeys: number;
}

type Bag = Record<string, unknown>;
const isBag = (v: unknown): v is Bag => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Wrappers whose keys are lifted to the top: the fixtures' `payload`, the app's `options`. */
const WRAPPERS = ['payload', 'options'] as const;
const MAX_DEPTH = 4;

/** Flattens `{ …, payload: { …, options: {…} } }` into one map; inner keys win. */
function flatten(raw: Bag, into: Map<string, unknown>, stats: SnapshotResult, depth = 0): void {
  for (const key of Object.keys(raw)) {
    if (!(WRAPPERS as readonly string[]).includes(key)) into.set(key, raw[key]);
  }
  for (const wrapper of WRAPPERS) {
    if (!Object.hasOwn(raw, wrapper)) continue;
    const inner = raw[wrapper];
    if (isBag(inner) && depth < MAX_DEPTH) flatten(inner, into, stats, depth + 1);
    else if (inner !== undefined) stats.invalidKeys += 1;
  }
}

/** Nested objects the snapshot picks fields out of, and the field each picked key becomes. */
const NESTED: Readonly<Record<string, Readonly<Record<string, SnapshotField>>>> = {
  aiTarget: { provider: 'provider', model: 'model' },
  travelerDetails: TRAVELER_COUNT_KEYS,
};

/** Puts one raw key into `out` if allowlisted (top-level values win over nested ones), else counts it. */
function take(
  key: string,
  value: unknown,
  out: Partial<Record<SnapshotField, unknown>>,
  stats: SnapshotResult,
) {
  if (value === undefined) return;
  const nested = Object.hasOwn(NESTED, key) ? NESTED[key] : undefined;
  if (nested) {
    if (!isBag(value)) {
      stats.invalidKeys += 1;
      return;
    }
    for (const inner of Object.keys(value)) {
      const field = Object.hasOwn(nested, inner) ? nested[inner] : undefined;
      if (field === undefined) stats.droppedKeys += 1;
      else if (out[field] === undefined) take(field, value[inner], out, stats);
    }
    return;
  }
  if (!isSnapshotField(key)) {
    stats.droppedKeys += 1;
    return;
  }
  const read = readField(key, value);
  if (!read.ok || read.partial) stats.invalidKeys += 1;
  if (read.ok) out[key] = read.value;
}

const PARTY_SIZE: Partial<Record<string, number>> = { solo: 1, couple: 2 };

/** Fills `travelers` from the traveler type or the family counts when the input did not give it. */
function deriveTravelers(out: Partial<Record<SnapshotField, unknown>>): void {
  if (out.travelers !== undefined) return;
  const known = PARTY_SIZE[out.travelerType as string];
  const family = [out.adults, out.children, out.babies].filter((n): n is number => typeof n === 'number');
  const total = known ?? (family.length > 0 ? family.reduce((a, b) => a + b, 0) : undefined);
  if (total !== undefined && total <= 50) out.travelers = total;
}

/**
 * Minimises a create-trip input to the allowlisted {@link InputSnapshot}. Accepts the app's
 * shapes: flat, `{ destinationPrompt, options: {…} }`, or a fixture record with `payload`
 * (wrappers are flattened, inner keys win). Unknown keys are dropped and counted; values of the
 * wrong type are dropped and counted; `travelerDetails` yields only counts; `aiTarget` yields
 * provider and model; notes follow `notesPolicy`. Never throws.
 *
 * @example
 * snapshotInput({ destinationPrompt: 'Portugal', options: { budget: 'Low', soloAge: '29' } });
 * // { snapshot: { destinationPrompt: 'Portugal', budget: 'Low' }, droppedKeys: 1, invalidKeys: 0 }
 */
export function snapshotInput(raw: unknown, options: SnapshotOptions = {}): SnapshotResult {
  const stats: SnapshotResult = { snapshot: {}, droppedKeys: 0, invalidKeys: 0 };
  try {
    if (!isBag(raw)) {
      if (raw !== undefined && raw !== null) stats.invalidKeys += 1;
      return stats;
    }
    const flat = new Map<string, unknown>();
    flatten(raw, flat, stats);
    const out: Partial<Record<SnapshotField, unknown>> = {};
    flat.forEach((value, key) => {
      take(key, value, out, stats);
    });
    deriveTravelers(out);
    if (typeof out.notes === 'string') {
      const policy = isNotesPolicy(options.notesPolicy) ? options.notesPolicy : 'redact';
      out.notes = applyNotesPolicy(out.notes, policy, options.notesMaxLength ?? DEFAULT_NOTES_MAX_LENGTH);
    }
    const snapshot: Record<string, unknown> = {};
    for (const field of SNAPSHOT_FIELDS) if (out[field] !== undefined) snapshot[field] = out[field];
    stats.snapshot = snapshot as InputSnapshot;
    return stats;
  } catch {
    return { snapshot: {}, droppedKeys: stats.droppedKeys, invalidKeys: stats.invalidKeys + 1 };
  }
}
