import type { Hono } from 'hono';
import { z } from 'zod';
import { type Incident, listIncidents } from '../../alerts/index.js';
import { requireScope } from '../../auth/index.js';
import { ProblemError } from '../../web/index.js';
import type { AppDeps } from '../deps.js';

/** The query of `GET /v1/alerts`. */
export const alertsQuerySchema = z.object({
  state: z.enum(['firing', 'resolved']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const view = (i: Incident) => ({
  ...i,
  openedAt: i.openedAt.toISOString(),
  resolvedAt: i.resolvedAt?.toISOString() ?? null,
  lastNotifiedAt: i.lastNotifiedAt?.toISOString() ?? null,
});

/** `GET /v1/alerts[?state=firing|resolved][&limit=100]`: incidents, newest first (admin key). */
export function alertsRoute(app: Hono, deps: AppDeps): void {
  app.get('/v1/alerts', requireScope('admin', deps), async (c) => {
    const parsed = alertsQuerySchema.safeParse(c.req.query());
    if (!parsed.success) {
      const errors = parsed.error.issues.map((issue) => ({
        field: issue.path.join('.'),
        message: issue.message,
      }));
      throw new ProblemError(400, 'INVALID_QUERY', 'the query parameters are invalid', errors);
    }
    const incidents = await listIncidents(deps.database.db, deps.database.schema, parsed.data);
    return c.json({ incidents: incidents.map(view) });
  });
}
