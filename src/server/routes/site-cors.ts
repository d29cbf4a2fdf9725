import { createMiddleware } from 'hono/factory';
import { isSiteOrigin, isSiteOriginCached, requestOrigin } from '../../client-events/index.js';
import { ProblemError } from '../../web/index.js';
import type { AppDeps } from '../deps.js';

/** CORS state of one request: the origin to allow, once the request's own key allowed it. */
export interface SiteCorsEnv {
  Variables: { corsOrigin: string | undefined };
}

/**
 * CORS for the routes a browser page calls with a site key (`/v1/client-events`,
 * `/v1/client-identify`): an origin gets `Access-Control-Allow-Origin` when it is an origin of
 * some active site key (known at once when the request's own key allowed it, `corsOrigin`), and
 * every other origin gets no CORS header at all. Preflights of such origins are answered 204;
 * others are refused 403 `ORIGIN_NOT_ALLOWED`. A 403 never carries the header: the key presented
 * is not this origin's to use, and the page should not learn more about it.
 */
export function siteCors(deps: AppDeps) {
  return createMiddleware<SiteCorsEnv>(async (c, next) => {
    const origin = requestOrigin(c.req.header('origin'));
    if (c.req.method === 'OPTIONS') {
      if (origin === undefined || !(await isSiteOrigin(deps.database, origin)))
        throw new ProblemError(403, 'ORIGIN_NOT_ALLOWED', 'no site key is allowed from this origin');
      return c.body(null, 204, {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': 'POST',
        'Access-Control-Allow-Headers': 'Content-Type, Authorization',
        'Access-Control-Max-Age': '600',
        Vary: 'Origin',
      });
    }
    await next();
    c.res.headers.append('Vary', 'Origin');
    if (c.res.status === 403 || origin === undefined) return;
    const allowed =
      c.get('corsOrigin') === origin || (await isSiteOriginCached(deps.database, origin, deps.now()));
    if (allowed) c.res.headers.set('Access-Control-Allow-Origin', origin);
  });
}
