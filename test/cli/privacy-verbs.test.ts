import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tripmeter-privacy-cli-'));
const dataDir = join(dir, 'pgdata');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tripmeter rollup | retention run | audit', () => {
  it('run on an empty database and report what they did', { timeout: 180_000 }, async () => {
    expect((await cli(['migrate', '--data-dir', dataDir, '--now', '2026-11-25T10:00:00Z'])).code).toBe(0);
    const rollup = await cli(['rollup', '--data-dir', dataDir, '--now', '2026-11-25T10:00:00Z']);
    expect(rollup).toMatchObject({ code: 0 });
    expect(rollup.stdout).toMatch(/updated 1 hours; final through \(nothing final yet\)/);
    expect((await cli(['rollup', '--rebuild', '--data-dir', dataDir])).stdout).toMatch(/^rebuilt/);

    const retention = await cli(['retention', 'run', '--data-dir', dataDir, '--now', '2026-11-25T10:00:00Z']);
    expect(retention.code).toBe(0);
    expect(retention.stdout).toContain('rows before 2026-08-27T10:00:00.000Z deleted');
    expect(retention.stdout).toContain('snapshots before 2026-10-26T10:00:00.000Z scrubbed');
    expect(retention.stdout).toMatch(/trip_tracking\.trip_creation_attempts: \d+ partitions dropped/);

    const audit = await cli(['audit', '--data-dir', dataDir]);
    expect(audit.code).toBe(0);
    expect(audit.stdout).toMatch(/trip_tracking\.trip_creation_attempts: 0 rows/);
    expect(audit.stdout).toContain('ok: no unredacted');
  });

  it('refuses a snapshot window longer than the row window', async () => {
    const bad = await cli(['retention', 'run', '--data-dir', dataDir, '--snapshot-retention-days', '120']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/snapshotRetentionDays \(120\) must not exceed rowRetentionDays \(90\)/);
    const usage = await cli(['retention', '--data-dir', dataDir]);
    expect(usage.code).toBe(2);
  });
});
