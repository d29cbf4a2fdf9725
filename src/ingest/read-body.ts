import type { Context } from 'hono';
import { assertSafeJson } from '../server/json-body.js';
import { ProblemError } from '../server/problem.js';

/** Largest body of a single event (8 KB). */
export const MAX_SINGLE_BODY_BYTES = 8 * 1024;
/** Largest body of a batch (256 KB). */
export const MAX_BATCH_BODY_BYTES = 256 * 1024;

const tooLarge = (limit: number, what: string) =>
  new ProblemError(413, 'BODY_TOO_LARGE', `the body is larger than ${limit} bytes, the limit for ${what}`);

/**
 * Reads an ingest body: `application/json` only (415 `UNSUPPORTED_MEDIA_TYPE`), read with a cap so
 * a huge body is never buffered (413 `BODY_TOO_LARGE`: 256 KB for a batch, 8 KB for one event),
 * then parsed (400 `MALFORMED_JSON`; too deep, a forbidden key or bad text: 400, see `assertSafeJson`). Returns the parsed JSON value.
 */
export async function readIngestBody(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type))
    throw new ProblemError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'send the events as Content-Type: application/json',
    );
  const declared = Number(c.req.header('content-length'));
  if (Number.isFinite(declared) && declared > MAX_BATCH_BODY_BYTES)
    throw tooLarge(MAX_BATCH_BODY_BYTES, 'a batch');
  const text = await readCapped(c.req.raw, MAX_BATCH_BODY_BYTES);
  let body: unknown;
  try {
    body = JSON.parse(text.text);
  } catch {
    throw new ProblemError(400, 'MALFORMED_JSON', 'the body is not valid JSON');
  }
  assertSafeJson(body);
  const batch = typeof body === 'object' && body !== null && !Array.isArray(body) && 'events' in body;
  if (!batch && text.bytes > MAX_SINGLE_BODY_BYTES) throw tooLarge(MAX_SINGLE_BODY_BYTES, 'one event');
  return body;
}

async function readCapped(request: Request, limit: number): Promise<{ text: string; bytes: number }> {
  if (request.body === null) return { text: '', bytes: 0 };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit, 'a batch');
    }
    chunks.push(value);
  }
  const all = new Uint8Array(bytes);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { text: new TextDecoder().decode(all), bytes };
}
