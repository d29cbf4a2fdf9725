import { sql } from 'kysely';
import { expect, it } from 'vitest';
import {
  createFingerprinter,
  purgeFingerprintSalts,
  saltForDay,
} from '../../src/privacy/fingerprint-node.js';
import { describeOnDatabases } from '../support/databases.js';

const HOUR = 3_600_000;

describeOnDatabases('fingerprint salts', (ctx) => {
  it('creates one random salt per UTC day and deletes those older than 48 hours', async () => {
    const database = await ctx.open();
    const day1 = new Date('2026-11-20T09:00:00Z');
    const first = await saltForDay(database, day1);
    expect(first).toHaveLength(32);
    expect(await saltForDay(database, new Date('2026-11-20T23:59:00Z'))).toEqual(first);
    const day2 = await saltForDay(database, new Date('2026-11-21T00:01:00Z'));
    expect(day2).not.toEqual(first);
    await saltForDay(database, new Date('2026-11-22T12:00:00Z'));

    expect(await purgeFingerprintSalts(database, { now: new Date(day1.getTime() + 47 * HOUR) })).toBe(0);
    expect(await purgeFingerprintSalts(database, { now: new Date('2026-11-23T01:00:00Z') })).toBe(2);
    const { rows } = await sql<{ day: string }>`
      SELECT day::text AS day FROM ${sql.table(`${database.schema}.fingerprint_salts`)}`.execute(database.db);
    expect(rows.map((r) => r.day)).toEqual(['2026-11-22']);
  });

  it('computes nothing unless enabled, and a stable value per day when enabled', async () => {
    const database = await ctx.open();
    let now = new Date('2026-11-25T10:00:00Z');
    const request = {
      remoteAddress: '10.0.0.1',
      headers: { 'x-forwarded-for': '203.0.113.7', 'user-agent': 'Firefox/133.0', 'accept-language': 'de' },
    };
    const off = createFingerprinter({ database, enabled: false, trustProxy: true, now: () => now });
    expect(await off(request)).toBeUndefined();
    const { rows } = await sql`SELECT 1 FROM ${sql.table(`${database.schema}.fingerprint_salts`)}`.execute(
      database.db,
    );
    expect(rows).toHaveLength(0);

    const on = createFingerprinter({ database, enabled: true, trustProxy: true, now: () => now });
    const a = await on(request);
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await on({ ...request, headers: { ...request.headers, 'x-forwarded-for': '203.0.113.99' } })).toBe(
      a,
    );
    now = new Date('2026-11-26T10:00:00Z');
    expect(await on(request)).not.toBe(a);
  });
});
