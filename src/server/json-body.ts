import { ProblemError } from './problem.js';

/** Deepest nesting of objects and arrays a request body may have. */
export const MAX_JSON_DEPTH = 32;

/**
 * Refuses a parsed JSON value nested deeper than `max` objects/arrays (400 `JSON_TOO_DEEP`), so
 * no later step (validation, redaction, serialization) recurses into a hostile body. Iterative:
 * it cannot overflow the stack itself.
 */
export function assertJsonDepth(value: unknown, max = MAX_JSON_DEPTH): void {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > max)
      throw new ProblemError(400, 'JSON_TOO_DEEP', `the body is nested deeper than ${max} levels`);
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push([child, depth + 1]);
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
 * never buffered), syntax (400 `MALFORMED_JSON`) and nesting depth. Returns the parsed value.
 *
 * @example
 * const body = await readJsonBody(c.req.raw, { maxBytes: 8192, types: ['application/json'] });
 */
export async function readJsonBody(request: Request, limits: JsonBodyLimits): Promise<unknown> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!limits.types.includes(type))
    throw new ProblemError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `send the body as Content-Type: ${limits.types.join(' or ')}`,
    );
  const tooLarge = () =>
    new ProblemError(413, 'BODY_TOO_LARGE', `the body is larger than ${limits.maxBytes} bytes`);
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limits.maxBytes) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  if (request.body !== null) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > limits.maxBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(Buffer.concat(chunks)));
  } catch {
    throw new ProblemError(400, 'MALFORMED_JSON', 'the body is not valid JSON');
  }
  assertJsonDepth(body);
  return body;
}
