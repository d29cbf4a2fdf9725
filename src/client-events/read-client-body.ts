import { assertSafeJson } from '../server/json-body.js';
import { ProblemError } from '../server/problem.js';
import { MAX_CLIENT_BODY_BYTES } from './limits.js';

const TOO_LARGE = () =>
  new ProblemError(413, 'BODY_TOO_LARGE', `the body is larger than ${MAX_CLIENT_BODY_BYTES} bytes`);

/**
 * Reads a mirror body: JSON sent as `text/plain` (what `navigator.sendBeacon` sends without a
 * preflight) or `application/json`; another type is 415 `UNSUPPORTED_MEDIA_TYPE`. Read with a
 * 64 KB cap, so a huge body is never buffered (413 `BODY_TOO_LARGE`), then parsed (400
 * `MALFORMED_JSON`).
 */
export async function readClientBody(request: Request): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^(text\/plain|application\/json)\s*(;|$)/i.test(type))
    throw new ProblemError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'send the batch as JSON with Content-Type text/plain or application/json',
    );
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_CLIENT_BODY_BYTES) throw TOO_LARGE();
  const text = await readCapped(request);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ProblemError(400, 'MALFORMED_JSON', 'the body is not valid JSON');
  }
  assertSafeJson(body);
  return body;
}

async function readCapped(request: Request): Promise<string> {
  if (request.body === null) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > MAX_CLIENT_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw TOO_LARGE();
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
