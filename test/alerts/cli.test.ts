import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { startStaticServer } from '../support/static-server.js';

const dir = mkdtempSync(join(tmpdir(), 'tripmeter-alerts-'));
const dataDir = join(dir, 'pgdata');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('tripmeter alerts evaluate runs one evaluation and prints the open incidents', async () => {
  expect((await cli(['migrate', '--data-dir', dataDir])).code).toBe(0);
  const run = await cli(['alerts', 'evaluate', '--now', '2026-11-25T10:00:00Z', '--data-dir', dataDir]);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('at 2026-11-25T10:00:00.000Z');
  expect(run.stdout).toContain('no open incidents');
});

it('tripmeter alerts test needs a notifier, and refuses a bad alerts setting', async () => {
  const none = await cli(['alerts', 'test', '--data-dir', dataDir]);
  expect(none.code).toBe(2);
  expect(none.stderr).toContain('TRIPMETER_ALERT_WEBHOOK_URL');
  const bad = await cli(['alerts', 'evaluate', '--data-dir', dataDir], {
    TRIPMETER_ALERTS: '{"windowMinutes":0}',
  });
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('invalid alerts');
});

it('tripmeter alerts test posts a test message to the webhook and records the delivery', async () => {
  const receiver = await startStaticServer({});
  try {
    const run = await cli(['alerts', 'test', '--data-dir', dataDir], {
      TRIPMETER_ALERT_WEBHOOK_URL: `${receiver.url}/hook`,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('webhook: delivered (HTTP 204, 1 tries)');
    const request = await receiver.waitForRequest((r) => r.method === 'POST');
    expect(JSON.parse(request.body)).toMatchObject({ source: 'tripmeter', kind: 'test', incidentId: null });
  } finally {
    await receiver.close();
  }
});
