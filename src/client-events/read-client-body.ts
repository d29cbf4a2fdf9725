import { type BodySource, readJsonBody } from '../web/index.js';
import { MAX_CLIENT_BODY_BYTES } from './limits.js';

/**
 * Reads a mirror body: JSON sent as `text/plain` (what `navigator.sendBeacon` sends without a
 * preflight) or `application/json`; another type is 415 `UNSUPPORTED_MEDIA_TYPE`. Read with a
 * 64 KB cap, so a huge body is never buffered (413 `BODY_TOO_LARGE`), then parsed (400
 * `MALFORMED_JSON`).
 */
export function readClientBody(source: BodySource): Promise<unknown> {
  return readJsonBody(source, {
    maxBytes: MAX_CLIENT_BODY_BYTES,
    types: ['text/plain', 'application/json'],
  });
}
