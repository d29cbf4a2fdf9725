import type { InputSnapshot, SnapshotField } from './input-schema.js';
import { readField, SNAPSHOT_FIELDS } from './input-schema.js';
import { TRAVELER_COUNT_KEYS } from './input-values.js';
import type { NotesPolicy, TextRedactor } from './notes-policy.js';
import { applyNotesPolicy, DEFAULT_NOTES_POLICY, isNotesPolicy } from './notes-policy.js';
import { DEFAULT_NOTES_MAX_LENGTH } from './redact.js';

/** Options of {@link snapshotInput}. */
export interface SnapshotOptions {
  /** What to keep of `notes` (default `summary`; an unknown value also means `summary`). */
  notesPolicy?: NotesPolicy;
  /** The pass that runs after the pattern passes under `redact` (see `TextRedactor`). */
  notesRedactor?: TextRedactor;
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
/**
 * Wrappers whose keys are lifted to the top: the fixtures' and the enqueue body's `payload`, the
 * form's `options`, and the enqueue payload's `inputSnapshot`, so the whole enqueue body, its
 * `payload` or its `payload.inputSnapshot` give the same snapshot.
 */
const WRAPPERS = ['payload', 'options', 'inputSnapshot'] as const;
/** Deep enough for the enqueue body (body → payload → inputSnapshot → payload → options). */
const MAX_DEPTH = 6;

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
  /** The enqueue payload's target: the provider and model the request was sent to. */
  target: { provider: 'provider', model: 'model' },
  aiTarget: { provider: 'provider', model: 'model' },
  travelerDetails: TRAVELER_COUNT_KEYS,
};

/** Lists of free text the snapshot keeps only the length of, and the field that count becomes. */
const COUNTED: Readonly<Record<string, SnapshotField>> = { specificCities: 'specificCityCount' };

/** Where each allowlisted field is kept while a snapshot is built: its position in schema order. */
const SLOT: ReadonlyMap<string, number> = new Map(SNAPSHOT_FIELDS.map((field, i) => [field, i]));
const slotOf = (field: SnapshotField) => SLOT.get(field)!;
const NOTES = slotOf('notes');
const TRAVELERS = slotOf('travelers');
const TRAVELER_TYPE = slotOf('travelerType');
const FAMILY = [slotOf('adults'), slotOf('children'), slotOf('babies')];
const DESTINATION_COUNT = slotOf('destinationCount');
const DESTINATION_LISTS = [slotOf('destinationOrder'), slotOf('countries')];
const COUNTRY = slotOf('country');

/**
 * The values taken so far, by {@link SLOT}: an array, not an object keyed by field names (the
 * lookups by a variable name were most of a snapshot's cost).
 */
type Slots = unknown[];

/** Puts one raw key into `values` if allowlisted (top-level values win over nested ones), else counts it. */
function take(key: string, value: unknown, values: Slots, stats: SnapshotResult) {
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
      else if (values[slotOf(field)] === undefined) take(field, value[inner], values, stats);
    }
    return;
  }
  const counted = Object.hasOwn(COUNTED, key) ? COUNTED[key] : undefined;
  if (counted !== undefined) {
    if (Array.isArray(value))
      take(counted, value.filter((item) => typeof item === 'string').length, values, stats);
    else stats.invalidKeys += 1;
    return;
  }
  const slot = SLOT.get(key);
  if (slot === undefined) {
    stats.droppedKeys += 1;
    return;
  }
  const read = readField(key as SnapshotField, value);
  if (!read.ok || read.partial) stats.invalidKeys += 1;
  if (read.ok) values[slot] = read.value;
}

const PARTY_SIZE: Partial<Record<string, number>> = { solo: 1, couple: 2 };

/** Fills `travelers` from the traveler type or the family counts when the input did not give it. */
function deriveTravelers(values: Slots): void {
  if (values[TRAVELERS] !== undefined) return;
  const known = PARTY_SIZE[values[TRAVELER_TYPE] as string];
  let family: number | undefined;
  for (const slot of FAMILY) {
    const count = values[slot];
    if (typeof count === 'number') family = (family ?? 0) + count;
  }
  const total = known ?? family;
  if (total !== undefined && total <= 50) values[TRAVELERS] = total;
}

/** Fills `destinationCount` from the destination lists, or 1 for a single country. */
function deriveDestinationCount(values: Slots): void {
  if (values[DESTINATION_COUNT] !== undefined) return;
  for (const slot of DESTINATION_LISTS) {
    const list = values[slot];
    if (Array.isArray(list) && list.length > 0) {
      values[DESTINATION_COUNT] = Math.min(list.length, 50);
      return;
    }
  }
  if (values[COUNTRY] !== undefined) values[DESTINATION_COUNT] = 1;
}

/**
 * Minimises a create-trip input to the allowlisted {@link InputSnapshot}. Accepts the app's
 * shapes: flat, `{ destinationPrompt, options: {…} }`, a fixture record with `payload`, or the
 * whole enqueue body `{ payload: { target, inputSnapshot: { payload: { options } } } }`
 * (wrappers are flattened, inner keys win). Unknown keys are dropped and counted (the generated
 * `prompt` and the free-text `destinationPrompt` among them); values of the wrong type are dropped
 * and counted; `travelerDetails` yields only counts, `specificCities` only a count; `target` and
 * `aiTarget` yield provider and model; notes follow `notesPolicy`. Never throws.
 *
 * @example
 * snapshotInput({ destinationPrompt: 'Portugal', options: { countries: ['Portugal'], soloAge: '29' } });
 * // { snapshot: { destinationCount: 1, countries: ['Portugal'] }, droppedKeys: 2, invalidKeys: 0 }
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
    const values: Slots = new Array(SNAPSHOT_FIELDS.length);
    for (const [key, value] of flat) take(key, value, values, stats);
    deriveTravelers(values);
    deriveDestinationCount(values);
    const notes = values[NOTES];
    const policy = isNotesPolicy(options.notesPolicy) ? options.notesPolicy : DEFAULT_NOTES_POLICY;
    if (typeof notes === 'string') {
      const max = options.notesMaxLength ?? DEFAULT_NOTES_MAX_LENGTH;
      values[NOTES] = applyNotesPolicy(notes, policy, max, options.notesRedactor);
    } else if (notes !== undefined && policy === 'drop') {
      // A summary made upstream (an edge tracker under `summary`) holds no text: kept unless dropped.
      values[NOTES] = undefined;
    }
    const snapshot: Record<string, unknown> = {};
    for (let i = 0; i < values.length; i++)
      if (values[i] !== undefined) snapshot[SNAPSHOT_FIELDS[i]!] = values[i];
    stats.snapshot = snapshot as InputSnapshot;
    return stats;
  } catch {
    return { snapshot: {}, droppedKeys: stats.droppedKeys, invalidKeys: stats.invalidKeys + 1 };
  }
}
