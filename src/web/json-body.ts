import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { ProblemError } from './problem.js';

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

/** Deepest nesting of objects and arrays a request body may have. */
export const MAX_JSON_DEPTH = 32;

/** Keys no body may carry: they are never field names here, and they are how prototypes get polluted. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
/** NUL (PostgreSQL text cannot hold it) or a lone UTF-16 surrogate (not valid Unicode). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const isBadText = (text: string) => text.includes('\0') || LONE_SURROGATE.test(text);

/**
 * Refuses a parsed JSON body that no later step should meet, with a 400 problem: nested deeper
 * than `max` objects/arrays (`JSON_TOO_DEEP`, so nothing recurses into a hostile body), a
 * `__proto__` / `constructor` / `prototype` key anywhere (`FORBIDDEN_KEY`), or a string or key
 * holding NUL or a lone surrogate (`INVALID_TEXT`, which PostgreSQL cannot store). Iterative: it
 * cannot overflow the stack itself.
 */
export function assertSafeJson(value: unknown, max = MAX_JSON_DEPTH): void {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node === 'string') {
      if (isBadText(node)) throw badText();
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    if (depth > max)
      throw new ProblemError(400, 'JSON_TOO_DEEP', `the body is nested deeper than ${max} levels`);
    if (Array.isArray(node)) {
      for (const child of node) stack.push([child, depth + 1]);
      continue;
    }
    for (const [key, child] of Object.entries(node)) {
      if (FORBIDDEN_KEYS.has(key))
        throw new ProblemError(400, 'FORBIDDEN_KEY', `the body may not contain the key "${key}"`);
      if (isBadText(key)) throw badText();
      stack.push([child, depth + 1]);
    }
  }
}

const badText = () =>
  new ProblemError(
    400,
    'INVALID_TEXT',
    'the body holds a NUL character or a lone surrogate (not valid Unicode text)',
  );

/** Limits of {@link readJsonBody}. */
export interface JsonBodyLimits {
  /** Largest body in bytes (413 `BODY_TOO_LARGE` beyond). */
  maxBytes: number;
  /** Accepted media types, lower case (415 `UNSUPPORTED_MEDIA_TYPE` otherwise). */
  types: readonly string[];
}

/**
 * Reads a JSON request body within limits: media type, size (read with a cap, so a huge body is
 * never buffered), syntax (400 `MALFORMED_JSON`) and {@link assertSafeJson}. Returns the parsed value.
 *
 * @example
 * const body = await readJsonBody(bodyOf(c), { maxBytes: 8192, types: ['application/json'] });
 */
export async function readJsonBody(source: BodySource, limits: JsonBodyLimits): Promise<unknown> {
  return (await readSizedJsonBody(source, limits)).body;
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
  const tooLarge = () =>
    new ProblemError(413, 'BODY_TOO_LARGE', `the body is larger than ${limits.maxBytes} bytes`);
  const declared = Number(header(source, 'content-length'));
  if (Number.isFinite(declared) && declared > limits.maxBytes) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of chunksOf(source)) {
    bytes += chunk.byteLength;
    if (bytes > limits.maxBytes) throw tooLarge(); // leaving the loop stops and discards the stream
    chunks.push(chunk);
  }
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(Buffer.concat(chunks)));
  } catch {
    throw new ProblemError(400, 'MALFORMED_JSON', 'the body is not valid JSON');
  }
  assertSafeJson(body);
  return { body, bytes };
}
