import { FLOW_PATTERN } from '../domain/index.js';
import type { FieldRead, FieldRule, RuleValue } from './field-rules.js';
import { either, flag, guarded, integer, isoDate, list, matching, oneOf } from './field-rules.js';
import * as values from './input-values.js';

const count = integer(0, 50);

const REDACTION_KINDS = ['email', 'phone', 'url', 'ip', 'card', 'iban', 'handle'] as const;

/** A notes summary as the `summary` policy writes it: sizes and counts, never text. */
const notesSummary = guarded(
  (
    value,
  ): value is {
    length: number;
    words: number;
    redactions: Record<(typeof REDACTION_KINDS)[number], number>;
  } => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const { length, words, redactions, ...rest } = value as Record<string, unknown>;
    if (Object.keys(rest).length > 0 || !Number.isSafeInteger(length) || !Number.isSafeInteger(words))
      return false;
    if (typeof redactions !== 'object' || redactions === null) return false;
    const counts = redactions as Record<string, unknown>;
    const keys = Object.keys(counts);
    return (
      keys.length === REDACTION_KINDS.length && REDACTION_KINDS.every((k) => Number.isSafeInteger(counts[k]))
    );
  },
);

/**
 * Notes as stored: text under `redact`/`raw`, a summary under `summary`. Read as raw text (the
 * caller applies the policy) or as a summary an edge tracker already made, which `serve` keeps.
 */
const notes: FieldRule<string | RuleValue<typeof notesSummary>> = either(
  guarded((value): value is string => typeof value === 'string'),
  notesSummary,
);

/** A place label (letters, spaces, a few marks; no digits, `@`, `:` or `/`). */
const place = matching(values.PLACE_LABEL_PATTERN, 100);
const places = list(place, values.MAX_PLACES);
const months = list(integer(1, 12), 12);

/**
 * The allowlist, declared once: every field an input snapshot may hold, in the order it is
 * written, with its rule (what may be stored, and how a raw value is read: lists lose the items
 * that are not allowed). Anything else in the create-trip input (the generated `prompt`, the
 * free-text `destinationPrompt` and `destinationLabel`, names, ages, genders, occasions,
 * free-form extras) is dropped.
 */
const fields = {
  flow: matching(FLOW_PATTERN),
  wizardBranch: oneOf(values.WIZARD_BRANCHES),
  /** Derived when absent: the length of `destinationOrder`, else of `countries`, else 1 for `country`. */
  destinationCount: count,
  /** The destinations in the order the traveller set (place labels only). */
  destinationOrder: places,
  countries: places,
  country: place,
  /** How many specific cities were named: their names are typed freely, so only the count is kept. */
  specificCityCount: count,
  /** Islands picked from the app's list (place labels only). */
  selectedIslandNames: places,
  startDate: isoDate,
  endDate: isoDate,
  dateInputMode: oneOf(values.DATE_INPUT_MODES),
  flexWeeks: integer(0, 52),
  flexWindow: oneOf(values.FLEX_WINDOWS),
  totalDays: integer(0, 1000),
  totalNights: integer(0, 1000),
  roundTrip: flag,
  routeLock: flag,
  travelerType: oneOf(values.TRAVELER_TYPES),
  adults: count,
  children: count,
  babies: count,
  travelers: count,
  budget: oneOf(values.BUDGETS),
  pace: oneOf(values.PACES),
  tripStyleTags: list(oneOf(values.TRIP_STYLE_TAGS)),
  tripVibeTags: list(oneOf(values.VIBE_TAGS), values.MAX_VIBE_TAGS),
  /** Months (1–12) the app recommends for the destination, and its shoulder months. */
  idealMonths: months,
  shoulderMonths: months,
  recommendedDurationDays: integer(1, 365),
  transportPreferences: list(oneOf(values.TRANSPORT_PREFERENCES)),
  /** Text under the `redact`/`raw` policies, counts under `summary`, absent under `drop`. */
  notes,
  provider: matching(values.PROVIDER_PATTERN),
  model: matching(values.MODEL_PATTERN),
  locale: matching(values.LOCALE_PATTERN, 35),
} satisfies Record<string, FieldRule<unknown>>;

/** A field of {@link InputSnapshot}. */
export type SnapshotField = keyof typeof fields;

/** A minimised create-trip input, safe to store as `input_snapshot_json`: every field optional. */
export type InputSnapshot = { [K in SnapshotField]?: RuleValue<(typeof fields)[K]> };

/** The allowlisted fields, in declaration order. */
export const SNAPSHOT_FIELDS = Object.keys(fields) as readonly SnapshotField[];

/**
 * Whether `value` is a storable snapshot: a plain object of allowlisted fields, each passing its rule.
 *
 * @example
 * isInputSnapshot({ budget: 'Medium', adults: 2 }); // true
 * isInputSnapshot({ budget: 'Medium', soloAge: '29' }); // false
 */
export function isInputSnapshot(value: unknown): value is InputSnapshot {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.entries(value).every(
    ([key, v]) => Object.hasOwn(fields, key) && fields[key as SnapshotField].check(v),
  );
}

export type { FieldRead };

/**
 * Fields whose read is their check: primitives from small sets (enums, flags, counts, dates,
 * provider and model names). Reading one is a pure function of its value, so reads are
 * remembered. The list and notes fields are cut down rather than checked, and always read.
 */
const LENIENT = new Set<SnapshotField>([
  'destinationOrder',
  'countries',
  'selectedIslandNames',
  'tripStyleTags',
  'tripVibeTags',
  'idealMonths',
  'shoulderMonths',
  'transportPreferences',
  'notes',
]);
const REMEMBERED = SNAPSHOT_FIELDS.filter((field) => !LENIENT.has(field));
/** Most values remembered per field; a full memo is cleared (memory stays bounded whatever arrives). */
const MEMO_LIMIT = 256;
/** Longest string value remembered (enum values, dates and model names are far shorter). */
const MEMO_MAX_LENGTH = 64;
const memos = new Map<SnapshotField, Map<unknown, FieldRead>>(REMEMBERED.map((field) => [field, new Map()]));

function parseField(field: SnapshotField, raw: unknown): FieldRead {
  return fields[field].read(raw);
}

/** Reads one raw value for an allowlisted field (notes stay raw: the caller applies the policy). */
export function readField(field: SnapshotField, raw: unknown): FieldRead {
  const memo = memos.get(field);
  const primitive =
    (typeof raw === 'string' && raw.length <= MEMO_MAX_LENGTH) ||
    typeof raw === 'number' ||
    typeof raw === 'boolean';
  if (memo === undefined || !primitive) return parseField(field, raw);
  let read = memo.get(raw);
  if (read === undefined) {
    read = Object.freeze(parseField(field, raw));
    if (memo.size >= MEMO_LIMIT) memo.clear();
    // A copy of a string key: a slice of a large host string would keep all of it alive.
    memo.set(typeof raw === 'string' ? [...raw].join('') : raw, read);
  }
  return read;
}
