import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { ProblemError } from './problem.js';
import { assertSafeJson, badText, firstReplacedPath } from './safe-json.js';

/** A request body to read: the web Request, or the Node request under @hono/node-server. */
export type BodySource = Request | IncomingMessage;

/**
 * The body of a Hono request: the Node request when served by @hono/node-server (reading it
 * directly skips building a web Request and stream per request, a third of a small request's
 * cost), else the web Request (`app.request()`, other runtimes).
 */
export function bodyOf(c: Context): BodySource {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming ?? c.req.raw;
}

const isWebRequest = (source: BodySource): source is Request =>
  typeof (source as Request).arrayBuffer === 'function';

function header(source: BodySource, name: string): string | null {
  if (isWebRequest(source)) return source.headers.get(name);
  const value = source.headers[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? null);
}

/** The body's chunks as they arrive. */
async function* chunksOf(source: BodySource): AsyncGenerator<Uint8Array> {
  if (!isWebRequest(source)) {
    yield* source as AsyncIterable<Uint8Array>;
    return;
  }
  if (source.body === null) return;
  const reader = source.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

/**
 * The body's text; bytes that are not UTF-8 are refused (400 `INVALID_TEXT`), never replaced by
 * U+FFFD and stored. The problem names the first string holding such bytes when the rest parses.
 */
function decodeUtf8(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    let field = '(body)';
    try {
      field = firstReplacedPath(JSON.parse(lenientUtf8.decode(bytes))) ?? field;
    } catch {
      // Not JSON either: the body as a whole is named.
    }
    throw badText(field, 'holds bytes that are not UTF-8');
  }
}

/** Limits of {@link readJsonBody}. */
export interface JsonBodyLimits {
  /** Largest body in bytes (413 `BODY_TOO_LARGE` beyond). */
  maxBytes: number;
  /** Accepted media types, lower case (415 `UNSUPPORTED_MEDIA_TYPE` otherwise). */
  types: readonly string[];
}

/**
 * Reads a JSON request body within limits: media type, size (read with a cap, so a huge body is
 * never buffered), encoding (400 `INVALID_TEXT` for bytes that are not UTF-8), syntax (400
 * `MALFORMED_JSON`) and {@link assertSafeJson}. Returns the parsed value.
 *
 * @example
 * const body = await readJsonBody(bodyOf(c), { maxBytes: 8192, types: ['application/json'] });
 */
export async function readJsonBody(source: BodySource, limits: JsonBodyLimits): Promise<unknown> {
  return (await readSizedJsonBody(source, limits)).body;
}

/**
 * Reads a request body's bytes with a cap: a declared `Content-Length` over `maxBytes` is refused
 * before reading, and reading stops at the first chunk past it, so a huge body is never buffered.
 * `tooLarge` makes the error thrown (default 413 `BODY_TOO_LARGE` problem).
 *
 * @example
 * const bytes = await readBodyBytes(bodyOf(c), 4 * 1024 * 1024);
 */
export async function readBodyBytes(
  source: BodySource,
  maxBytes: number,
  tooLarge: () => Error = () =>
    new ProblemError(413, 'BODY_TOO_LARGE', `the body is larger than ${maxBytes} bytes`),
): Promise<Uint8Array> {
  const declared = Number(header(source, 'content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of chunksOf(source)) {
    bytes += chunk.byteLength;
    if (bytes > maxBytes) throw tooLarge(); // leaving the loop stops and discards the stream
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/** {@link readJsonBody}, also telling how many bytes the body had (for per-shape limits). */
export async function readSizedJsonBody(
  source: BodySource,
  limits: JsonBodyLimits,
): Promise<{ body: unknown; bytes: number }> {
  const type = (header(source, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!limits.types.includes(type))
    throw new ProblemError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `send the body as Content-Type: ${limits.types.join(' or ')}`,
    );
  const raw = await readBodyBytes(source, limits.maxBytes);
  const bytes = raw.byteLength;
  const text = decodeUtf8(raw);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ProblemError(400, 'MALFORMED_JSON', 'the body is not valid JSON');
  }
  assertSafeJson(body);
  return { body, bytes };
}
