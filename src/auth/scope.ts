/**
 * The scopes a key can have. Each is separate: an admin key is not an ingest key.
 * - `ingest`: server to server writes (`/v1/events`, `/v1/identify`).
 * - `site`: a public browser key, limited to its origins; client events only.
 * - `admin`: dashboard, metrics, deletion, benchmark tables.
 */
export const SCOPES = ['ingest', 'site', 'admin'] as const;

/** One of {@link SCOPES}. */
export type Scope = (typeof SCOPES)[number];

/** Whether `value` is a known scope. */
export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (SCOPES as readonly string[]).includes(value);
}
