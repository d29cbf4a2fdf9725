import { z } from 'zod';
import { FLOW_PATTERN } from '../domain/index.js';
import * as values from './input-values.js';

const count = z.int().min(0).max(50);

const redactionCounts = z.strictObject({
  email: z.int(),
  phone: z.int(),
  url: z.int(),
  ip: z.int(),
  card: z.int(),
  iban: z.int(),
  handle: z.int(),
});

const place = z.string().regex(values.PLACE_LABEL_PATTERN);
const places = z.array(place).max(values.MAX_PLACES);
const months = z.array(z.int().min(1).max(12)).max(12);

/**
 * The allowlist: every field an input snapshot may hold, in the order it is written. Anything
 * else in the create-trip input (the generated `prompt`, the free-text `destinationPrompt` and
 * `destinationLabel`, names, ages, genders, occasions, free-form extras) is dropped.
 */
const fields = {
  flow: z.string().regex(FLOW_PATTERN),
  wizardBranch: z.enum(values.WIZARD_BRANCHES),
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
  startDate: z.iso.date(),
  endDate: z.iso.date(),
  dateInputMode: z.enum(values.DATE_INPUT_MODES),
  flexWeeks: z.int().min(0).max(52),
  flexWindow: z.enum(values.FLEX_WINDOWS),
  totalDays: z.int().min(0).max(1000),
  totalNights: z.int().min(0).max(1000),
  roundTrip: z.boolean(),
  routeLock: z.boolean(),
  travelerType: z.enum(values.TRAVELER_TYPES),
  adults: count,
  children: count,
  babies: count,
  travelers: count,
  budget: z.enum(values.BUDGETS),
  pace: z.enum(values.PACES),
  tripStyleTags: z.array(z.enum(values.TRIP_STYLE_TAGS)),
  tripVibeTags: z.array(z.enum(values.VIBE_TAGS)).max(values.MAX_VIBE_TAGS),
  /** Months (1–12) the app recommends for the destination, and its shoulder months. */
  idealMonths: months,
  shoulderMonths: months,
  recommendedDurationDays: z.int().min(1).max(365),
  transportPreferences: z.array(z.enum(values.TRANSPORT_PREFERENCES)),
  /** Text under the `redact`/`raw` policies, counts under `summary`, absent under `drop`. */
  notes: z.union([
    z.string(),
    z.strictObject({ length: z.int(), words: z.int(), redactions: redactionCounts }),
  ]),
  provider: z.string().regex(values.PROVIDER_PATTERN),
  model: z.string().regex(values.MODEL_PATTERN),
  locale: z.string().max(35).regex(values.LOCALE_PATTERN),
};

/**
 * Zod schema of a stored input snapshot: all fields optional, no other keys.
 *
 * @example
 * InputSnapshotSchema.parse({ budget: 'Medium', adults: 2 });
 */
export const InputSnapshotSchema = z.strictObject(fields).partial();

/** A minimised create-trip input, safe to store as `input_snapshot_json`. */
export type InputSnapshot = z.infer<typeof InputSnapshotSchema>;

/** A field of {@link InputSnapshot}. */
export type SnapshotField = keyof typeof fields;

/** The allowlisted fields, in schema order. */
export const SNAPSHOT_FIELDS = Object.keys(fields) as readonly SnapshotField[];

const filtered = (keep: (item: unknown) => boolean) =>
  z.array(z.unknown()).transform((items) => items.filter(keep));
const oneOf = (set: readonly string[]) => (item: unknown) => set.includes(item as string);

const isPlace = (item: unknown) => typeof item === 'string' && values.PLACE_LABEL_PATTERN.test(item);
const placeList = filtered(isPlace).transform((a) => a.slice(0, values.MAX_PLACES));
const isMonth = (item: unknown) => Number.isInteger(item) && (item as number) >= 1 && (item as number) <= 12;
const monthList = filtered(isMonth).transform((a) => a.slice(0, 12));

/**
 * How raw values are read: lenient where a value can be cut down instead of refused (lists lose
 * the items that are not allowed and are cut to their bound). Other fields use their schema.
 */
const lenient: Partial<Record<SnapshotField, z.ZodType>> = {
  destinationOrder: placeList,
  countries: placeList,
  selectedIslandNames: placeList,
  tripStyleTags: filtered(oneOf(values.TRIP_STYLE_TAGS)),
  tripVibeTags: filtered(oneOf(values.VIBE_TAGS)).transform((a) => a.slice(0, values.MAX_VIBE_TAGS)),
  idealMonths: monthList,
  shoulderMonths: monthList,
  transportPreferences: filtered(oneOf(values.TRANSPORT_PREFERENCES)),
  notes: z.string(),
};

/** Result of reading one raw value; `partial` when some array items were left out. */
export type FieldRead = { ok: true; value: unknown; partial: boolean } | { ok: false };

/**
 * Fields read by their plain schema: primitives from small sets (enums, flags, counts, dates,
 * provider and model names). Reading one is a pure function of its value, so reads are
 * remembered. The `lenient` fields (free text, arrays) are cut down rather than checked, and
 * always parsed.
 */
const REMEMBERED = SNAPSHOT_FIELDS.filter((field) => !Object.hasOwn(lenient, field));
/** Most values remembered per field; a full memo is cleared (memory stays bounded whatever arrives). */
const MEMO_LIMIT = 256;
/** Longest string value remembered (enum values, dates and model names are far shorter). */
const MEMO_MAX_LENGTH = 64;
const memos = new Map<SnapshotField, Map<unknown, FieldRead>>(REMEMBERED.map((field) => [field, new Map()]));

function parseField(field: SnapshotField, raw: unknown): FieldRead {
  const parsed = (lenient[field] ?? fields[field]).safeParse(raw);
  if (!parsed.success) return { ok: false };
  const partial = Array.isArray(raw) && Array.isArray(parsed.data) && parsed.data.length < raw.length;
  return { ok: true, value: parsed.data, partial };
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
