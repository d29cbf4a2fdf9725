import type { Hono } from 'hono';
import {
  authorizeBeforeBody,
  authorizeSiteKey,
  clientEventCatalog,
  parseClientBatch,
  readClientBody,
  requestOrigin,
  writeClientEvents,
} from '../../client-events/index.js';
import { bodyOf, ProblemError } from '../../web/index.js';
import type { AppDeps } from '../deps.js';
import { siteCors } from './site-cors.js';

/** The path of the mirror route. */
export const CLIENT_EVENTS_PATH = '/v1/client-events';

/**
 * `POST /v1/client-events`: the server side of the browser SDK's funnel mirror. Body
 * `{ site_key, events: [{ id?, name, anon_session_id, occurred_at, props }] }` as `text/plain`
 * or `application/json`, at most 64 KB and 50 events; a `site` key (body or Bearer) used from
 * one of its origins. The key in `Authorization` is checked before the body is read; a key in
 * the body only once read, but the origin first (see `authorizeBeforeBody`). Names: the default
 * catalog, and any well-formed name under the `clientEventPrefixes` setting. Valid events are
 * stored even when others of the batch are not; resent ones are counted as duplicates. Answers 202
 * `{ accepted, duplicates, rejected: [{ index, code, field, message }] }`; a batch with no valid
 * event, or a bad batch (unknown field, no events, more than 50), is refused 422 `errors[]`.
 */
export function clientEventsRoute(app: Hono, deps: AppDeps): void {
  const catalog = clientEventCatalog(deps.config.clientEventPrefixes);
  app.on(['OPTIONS', 'POST'], CLIENT_EVENTS_PATH, siteCors(deps), async (c) => {
    const now = deps.now();
    const request = {
      authorization: c.req.header('authorization'),
      origin: requestOrigin(c.req.header('origin')),
      now,
    };
    const early = await authorizeBeforeBody(deps.database, request);
    if (early !== undefined) await deps.rateLimits?.limitKey(early.id);
    const parsed = parseClientBatch(await readClientBody(bodyOf(c)), now, catalog);
    const key = early ?? (await authorizeSiteKey(deps.database, { ...request, bodyKey: parsed.siteKey }));
    if (early === undefined) await deps.rateLimits?.limitKey(key.id);
    c.set('corsOrigin', request.origin);
    if (!parsed.ok)
      throw new ProblemError(
        422,
        parsed.code,
        'no event of the batch is valid: nothing was stored',
        parsed.errors,
      );
    const result = await writeClientEvents(deps.database, parsed.events, now);
    return c.json({ ...result, rejected: parsed.rejected }, 202);
  });
}
