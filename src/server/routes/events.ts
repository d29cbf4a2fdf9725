import type { Hono } from 'hono';
import { requireScope } from '../../auth/index.js';
import { parseIngestBody, readIngestBody, StorageUnavailableError } from '../../ingest/index.js';
import { ProblemError } from '../../web/index.js';
import type { AppDeps } from '../deps.js';

/**
 * `POST /v1/events` (ingest key): one event or `{ "events": [...] }` (the plan's events,
 * `provider_call` and `attempt_phase` in any mix), validated whole, written
 * durably, then answered `202 { accepted, duplicates }`. Refusals are problem+json:
 * `INVALID_EVENTS` (with `errors[]`),
 * `FORBIDDEN_CONTENT_KEY` (an event carried `prompt`, `messages`, `completion` or `response`; the
 * field is named in `errors[]`), `MALFORMED_JSON`, `BODY_TOO_LARGE`, `UNSUPPORTED_MEDIA_TYPE`,
 * `STORAGE_UNAVAILABLE` (503 with Retry-After: retrying is safe, writes are idempotent).
 */
export function eventsRoute(app: Hono, deps: AppDeps): void {
  app.post('/v1/events', requireScope('ingest', deps), async (c) => {
    const writer = deps.ingestWriter;
    if (writer === undefined)
      throw new ProblemError(503, 'STORAGE_UNAVAILABLE', 'ingest is not enabled', [], { 'Retry-After': '5' });
    const body = await readIngestBody(c);
    const parsed = parseIngestBody(body, { now: deps.now(), notesPolicy: deps.config.notesPolicy });
    if (!parsed.ok)
      throw new ProblemError(
        422,
        parsed.code ?? 'INVALID_EVENTS',
        `${new Set(parsed.errors.map((e) => e.index)).size} event(s) refused; nothing was stored`,
        parsed.errors,
      );
    try {
      const { accepted, duplicates } = await writer.submit(parsed.events);
      return c.json({ accepted, duplicates }, 202);
    } catch (error) {
      if (!(error instanceof StorageUnavailableError)) throw error;
      throw new ProblemError(
        503,
        'STORAGE_UNAVAILABLE',
        `${error.message}; retry later: nothing was lost`,
        [],
        {
          'Retry-After': String(error.retryAfterSeconds),
        },
      );
    }
  });
}
