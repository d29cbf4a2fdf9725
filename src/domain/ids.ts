import { v7 } from 'uuid';

// uuid asks the platform for 16 random bytes per id, a system call each time; drawing them from
// a pool filled 4 KiB at a time makes id generation ~10× cheaper on the write path.
const pool = new Uint8Array(4096);
let offset = pool.length;
/** The current id's random bytes and its bytes as laid out by uuid's v7, reused (no allocation). */
const random = new Uint8Array(16);
const bytes = new Uint8Array(16);

function drawRandom(): void {
  if (offset >= pool.length) {
    globalThis.crypto.getRandomValues(pool);
    offset = 0;
  }
  for (let i = 0; i < 16; i++) random[i] = pool[offset + i]!;
  offset += 16;
}

/** Time and counter of the last id (RFC 9562 §6.2, method 1): ids of one process never go backwards. */
let lastMs = Number.NEGATIVE_INFINITY;
let seq = 0;

const HEX = [...'0123456789abcdef'].map((c) => c.charCodeAt(0));
/** Where each byte's two hex digits go in the 36 characters of the text form. */
const AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
const text = new Uint8Array(36).fill(0x2d); // the dashes stay; the digits are overwritten
const ascii = new TextDecoder();

/**
 * A new time-ordered UUIDv7 (generated here, not by the database: PGlite and PG 15 lack
 * uuidv7()). Within one millisecond the 32-bit counter counts up from a random start, as uuid's
 * own `v7()` does; passing our pooled random bytes alone would have skipped that, so two ids of
 * the same millisecond sorted at random (an API key listing flickered in tests). uuid lays out
 * the bytes; the text is decoded in one piece (uuid's own formatting joins 20 pieces: the write
 * path makes three ids per attempt, and that was ~1.5 KB of garbage each time).
 */
export function newId(): string {
  drawRandom();
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
  } else {
    seq = (seq + 1) | 0;
    if (seq === 0) lastMs++; // the counter wrapped: borrow the next millisecond
  }
  v7({ random, msecs: lastMs, seq }, bytes, 0);
  for (let i = 0; i < 16; i++) {
    text[AT[i]!] = HEX[bytes[i]! >> 4]!;
    text[AT[i]! + 1] = HEX[bytes[i]! & 15]!;
  }
  return ascii.decode(text);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a UUID in canonical text form (any version). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** A request id: 1–128 printable ASCII characters without spaces (UUIDs, ULIDs, job ids). */
export const REQUEST_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

/** A source label: lower-case identifier, e.g. `app`, `demo`, `benchmark`. */
export const SOURCE_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;

/**
 * A create-trip flow of the app (`classic`, `wizard`, `surprise`, …): a snake_case identifier of
 * at most 32 characters. An identifier, not a closed set, so an app can add a flow without a
 * tripmeter release; the pattern keeps free text (and anything personal) out of the column.
 */
export const FLOW_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;

const RESERVED_IDS = new Set([
  'null',
  'undefined',
  'anonymous',
  'anon',
  'guest',
  '0',
  'none',
  'nil',
  'unknown',
]);
const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const MAX_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

/**
 * Whether an id is a placeholder that must never be used as a subject (`null`, `guest`, the
 * all-zero UUID, blank, …): linking such ids would merge strangers.
 */
export function isReservedId(value: string): boolean {
  const normalised = value.trim().toLowerCase();
  return (
    normalised === '' || RESERVED_IDS.has(normalised) || normalised === NIL_UUID || normalised === MAX_UUID
  );
}

/** Whether `value` is a subject id tripmeter accepts: a UUID that is not reserved. */
export function isSubjectId(value: unknown): value is string {
  return isUuid(value) && !isReservedId(value);
}

/** A subject id tripmeter accepts, lower-cased; `undefined` for anything else. */
export function normaliseSubjectId(value: unknown): string | undefined {
  return isSubjectId(value) ? value.toLowerCase() : undefined;
}
