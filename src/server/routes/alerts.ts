import type { Hono } from 'hono';
import { z } from 'zod';
import { type Incident, listIncidents } from '../../alerts/index.js';
import { requireScope } from '../../auth/index.js';
import type { AppDeps } from '../deps.js';
import { parseQuery } from './parse-query.js';

/** The query of `GET /v1/alerts`. */
export const alertsQuerySchema = z.strictObject({
  state: z.enum(['firing', 'resolved']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const view = (i: Incident) => ({
  ...i,
  openedAt: i.openedAt.toISOString(),
  resolvedAt: i.resolvedAt?.toISOString() ?? null,
  lastNotifiedAt: i.lastNotifiedAt?.toISOString() ?? null,
});

/**
 * `GET /v1/alerts[?state=firing|resolved][&limit=100]`: incidents, newest first (admin key).
 * Another parameter, a repeated one or one holding NUL is a 400 `INVALID_QUERY` naming it.
 */
export function alertsRoute(app: Hono, deps: AppDeps): void {
  app.get('/v1/alerts', requireScope('admin', deps), async (c) => {
    const query = parseQuery(c.req.url, alertsQuerySchema);
    const incidents = await listIncidents(deps.database.db, deps.database.schema, query);
    return c.json({ incidents: incidents.map(view) });
  });
}
