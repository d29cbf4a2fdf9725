import type { Hono } from 'hono';
import { schemaVersion } from '../../storage/index.js';
import type { AppDeps } from '../deps.js';

/** `GET /healthz`: the database kind and schema version; 503 when the database is down. */
export function healthzRoute(app: Hono, deps: AppDeps): void {
  app.get('/healthz', async (c) => {
    const { database } = deps;
    try {
      const version = await schemaVersion(database);
      return c.json({
        status: 'ok',
        database: database.kind,
        schema: database.schema,
        schemaVersion: version,
      });
    } catch {
      return c.json({ status: 'unavailable', database: database.kind, schema: database.schema }, 503);
    }
  });
}
