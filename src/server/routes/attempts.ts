import type { Hono } from 'hono';
import { getAttempt, listAttempts } from '../../attempts/index.js';
import { requireScope } from '../../auth/index.js';
import { REQUEST_ID_PATTERN } from '../../domain/index.js';
import { ProblemError } from '../../web/index.js';
import type { AppDeps } from '../deps.js';
import { parseAttemptsParams } from './attempts-params.js';

/**
 * `GET /v1/attempts` (admin key): recent attempts, newest first, filtered like every panel and by
 * `trip_id` / `anon_session_id` / `user_id`, paged by `cursor`. `GET /v1/attempts/{requestId}`:
 * one attempt with its events, calls and phases as a timeline; 404 `ATTEMPT_NOT_FOUND` when no
 * raw row holds it (never written, deleted, or past retention).
 */
export function attemptsRoutes(app: Hono, deps: AppDeps): void {
  const admin = requireScope('admin', deps);
  app.get('/v1/attempts', admin, async (c) => {
    const { filter, limit, after } = parseAttemptsParams(c.req.url, deps.now());
    return c.json(await listAttempts(deps.database, filter, limit, after));
  });
  app.get('/v1/attempts/:requestId', admin, async (c) => {
    const requestId = c.req.param('requestId');
    if (!REQUEST_ID_PATTERN.test(requestId))
      throw new ProblemError(400, 'INVALID_ID', 'requestId: 1–128 visible ASCII characters', [
        { field: 'requestId', message: '1–128 visible ASCII characters' },
      ]);
    const detail = await getAttempt(deps.database, requestId);
    if (!detail)
      throw new ProblemError(404, 'ATTEMPT_NOT_FOUND', 'no stored attempt has this request id', [
        { field: 'requestId', message: 'not found (never written, deleted, or past retention)' },
      ]);
    return c.json(detail);
  });
}
