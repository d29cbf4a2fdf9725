import { expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/logging/index.js';
import { createApp } from '../../src/server/app.js';
import { loadMigrationFiles } from '../../src/storage/migration-files.js';
import { describeOnDatabases } from '../support/databases.js';

describeOnDatabases('GET /healthz', (ctx) => {
  it('returns the database kind and schema version', async () => {
    const database = await ctx.open();
    const app = createApp({ config: loadConfig(), database, logger: silentLogger, now: () => new Date() });
    const res = await app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ok',
      database: ctx.kind,
      schema: database.schema,
      schemaVersion: loadMigrationFiles().at(-1)?.version,
    });
  });

  it('answers unknown routes with problem+json', async () => {
    const database = await ctx.open({ migrate: false });
    const app = createApp({ config: loadConfig(), database, logger: silentLogger, now: () => new Date() });
    const res = await app.request('/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });
});
