import { z } from 'zod';
import * as values from './input-values.js';
import { truncateCodePoints } from './truncate.js';

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

/**
 * The allowlist: every field an input snapshot may hold, in the order it is written. Anything
 * else in the create-trip input (names, ages, genders, occasions, free-form extras) is dropped.
 */
const fields = {
  flow: z.enum(values.FLOWS),
  wizardBranch: z.enum(values.WIZARD_BRANCHES),
  destinationPrompt: z.string().max(500),
  countries: z.array(z.string().max(100)).max(50),
  country: z.string().max(100),
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

const text = (max: number) => z.string().transform((s) => truncateCodePoints(s, max));
const filtered = (keep: (item: unknown) => boolean, map: (item: string) => string = (s) => s) =>
  z.array(z.unknown()).transform((items) => items.filter(keep).map((i) => map(i as string)));
const oneOf = (set: readonly string[]) => (item: unknown) => set.includes(item as string);

/**
 * How raw values are read: lenient where a value can be cut down instead of refused (long text
 * is truncated; arrays lose the items that are not allowed). Other fields use their schema.
 */
const lenient: Partial<Record<SnapshotField, z.ZodType>> = {
  destinationPrompt: text(500),
  country: text(100),
  countries: filtered(
    (i) => typeof i === 'string',
    (s) => truncateCodePoints(s, 100),
  ).transform((a) => a.slice(0, 50)),
  tripStyleTags: filtered(oneOf(values.TRIP_STYLE_TAGS)),
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
