/** Where a page of the attempt list ends: the last row's time (µs since the epoch) and id. */
export interface AttemptsCursor {
  /** `created_at` in whole microseconds since the Unix epoch, as decimal text (exact). */
  micros: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MICROS = /^-?\d{1,17}$/;

/** The opaque `cursor` of the next page (base64url of `micros.id`). */
export function encodeCursor(cursor: AttemptsCursor): string {
  return Buffer.from(`${cursor.micros}.${cursor.id}`, 'utf8').toString('base64url');
}

/** Reads a cursor made by {@link encodeCursor}; undefined when it is not one. */
export function decodeCursor(text: string): AttemptsCursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,120}$/.test(text)) return undefined;
  const [micros, id, ...rest] = Buffer.from(text, 'base64url').toString('utf8').split('.');
  if (rest.length > 0 || !micros || !id || !MICROS.test(micros) || !UUID.test(id)) return undefined;
  return { micros, id };
}
