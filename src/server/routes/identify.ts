import type { Hono } from 'hono';
import { z } from 'zod';
import { requireScope } from '../../auth/index.js';
import { linkIdentity } from '../../identity/index.js';
import { ProblemError } from '../../web/index.js';
import type { AppDeps } from '../deps.js';
import { parseJsonBody, withSubjectProblems } from './subject-problems.js';

/** The body of `POST /v1/identify`; an unknown field is refused, as on every ingest route. */
export const identifyBody = z.strictObject({
  anon_session_id: z.string({ error: 'a string (the anonymous session UUID)' }).max(128),
  user_id: z.string({ error: 'a string (the user UUID)' }).max(128),
});

/**
 * `POST /v1/identify` (ingest key), at the login handshake: `{ "anon_session_id", "user_id" }`.
 * Answers `200 { outcome: "linked" | "already_linked", rows_backfilled: { table: n } }`.
 * Refusals: 400 `RESERVED_ID` / `INVALID_ID` / `INVALID_BODY` (with the `field`, also for an
 * unknown field), 409
 * `ANON_ID_ALREADY_LINKED` when the anonymous id belongs to another user (recorded, nothing moved).
 */
export function identifyRoute(app: Hono, deps: AppDeps): void {
  app.post('/v1/identify', requireScope('ingest', deps), async (c) => {
    const body = await parseJsonBody(c, identifyBody);
    const result = await withSubjectProblems(() =>
      linkIdentity(
        deps.database,
        { anonSessionId: body.anon_session_id, userId: body.user_id },
        { now: deps.now(), backfillDays: deps.config.linkBackfillDays },
      ),
    );
    if (result.outcome === 'conflict')
      throw new ProblemError(
        409,
        'ANON_ID_ALREADY_LINKED',
        'this anonymous session is linked to another user; it is never reassigned (rotate the anonymous id at logout)',
        [{ field: 'anon_session_id', message: 'already linked to another user' }],
      );
    return c.json({ outcome: result.outcome, rows_backfilled: result.rowsBackfilled });
  });
}
