import { expect, it } from 'vitest';
import { verifyApiKey } from '../../src/auth/index.js';
import { loadConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/logging/index.js';
import { startService } from '../../src/server/service.js';
import { openTestDatabase } from '../support/databases.js';

it('serve --demo-if-empty loads demo data into an empty embedded database once, with an admin key for the dashboard', async () => {
  const database = await openTestDatabase('pglite', undefined);
  const config = loadConfig({ env: {}, flags: { port: '0' } });
  const first = await startService(config, { logger: silentLogger, database, demoIfEmpty: true });
  try {
    expect(first.demoAdminKey).toMatch(/^tm_admin_/);
    expect((await verifyApiKey(database, first.demoAdminKey!))?.scope).toBe('admin');
    const summary = await fetch(`${first.url}/v1/metrics/summary`, {
      headers: { authorization: `Bearer ${first.demoAdminKey}` },
    });
    expect(summary.status).toBe(200);
    expect(((await summary.json()) as { attempts: number }).attempts).toBeGreaterThan(0);
  } finally {
    await first.close();
  }
  const second = await startService(config, { logger: silentLogger, database, demoIfEmpty: true });
  await second.close();
  expect(second.demoAdminKey).toBeUndefined(); // not empty any more: no new data, no new key
}, 240_000);
