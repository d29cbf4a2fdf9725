import type { Context } from 'hono';
import { bodyOf, ProblemError, readSizedJsonBody } from '../web/index.js';

/** Largest body of a single event (8 KB). */
export const MAX_SINGLE_BODY_BYTES = 8 * 1024;
/** Largest body of a batch (256 KB). */
export const MAX_BATCH_BODY_BYTES = 256 * 1024;

/**
 * Reads an ingest body: `application/json` only (415 `UNSUPPORTED_MEDIA_TYPE`), read with a cap so
 * a huge body is never buffered (413 `BODY_TOO_LARGE`: 256 KB for a batch, 8 KB for one event),
 * then parsed (400 `MALFORMED_JSON`; too deep, a forbidden key or bad text: 400, see `assertSafeJson`). Returns the parsed JSON value.
 */
export async function readIngestBody(c: Context): Promise<unknown> {
  const { body, bytes } = await readSizedJsonBody(bodyOf(c), {
    maxBytes: MAX_BATCH_BODY_BYTES,
    types: ['application/json'],
  });
  const batch = typeof body === 'object' && body !== null && !Array.isArray(body) && 'events' in body;
  if (!batch && bytes > MAX_SINGLE_BODY_BYTES) {
    throw new ProblemError(
      413,
      'BODY_TOO_LARGE',
      `the body is larger than ${MAX_SINGLE_BODY_BYTES} bytes, the limit for one event`,
    );
  }
  return body;
}
