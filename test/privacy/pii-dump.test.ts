import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { auditDatabase } from '../../src/lifecycle/audit.js';
import type { Database } from '../../src/storage/index.js';
import { describeOnDatabases } from '../support/databases.js';
import { seedAttempts } from '../support/ingest.js';

const T0 = new Date('2026-11-25T10:00:00Z');

/** Personal data a careless app could pass to the tracker, and where it passes it. */
const PII = [
  'anna.schmidt@example.com',
  '+49 170 1234567',
  '(415) 555-0132',
  '4111 1111 1111 1111',
  'DE89 3704 0044 0532 0130 00',
  '203.0.113.77',
  '2001:db8:abcd:12::1',
  'https://anna.example.com/private?token=abc',
  '@anna_travels',
];
/** Request metadata an app might forward with the input: never stored (not on the allowlist). */
const USER_AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0.0.0';
const NEEDLES = [
  'anna',
  '1234567',
  '555-0132',
  '4111',
  '3704',
  '203.0.113',
  '2001:db8',
  'token=abc',
  'Mozilla',
];

async function dumpAllText(database: Database): Promise<string> {
  const { rows: columns } = await sql<{ schema: string; table: string; column: string }>`
    SELECT c.table_schema AS schema, c.table_name AS table, c.column_name AS column
    FROM information_schema.columns c JOIN pg_class k ON k.relname = c.table_name
    JOIN pg_namespace n ON n.oid = k.relnamespace AND n.nspname = c.table_schema
    WHERE c.table_schema IN (${database.schema}, ${database.adminSchema})
      AND c.data_type IN ('text', 'jsonb', 'character varying', 'json', 'ARRAY', 'bytea')
      AND k.relkind IN ('r', 'p') AND NOT k.relispartition`.execute(database.db);
  const parts: string[] = [];
  for (const c of columns) {
    const { rows } = await sql<{ v: string | null }>`
      SELECT ${sql.ref(c.column)}::text AS v FROM ${sql.table(`${c.schema}.${c.table}`)}`.execute(
      database.db,
    );
    for (const r of rows) if (r.v !== null) parts.push(`${c.table}.${c.column}=${r.v}`);
  }
  return parts.join('\n');
}

describeOnDatabases('personal data never reaches storage', (ctx) => {
  it('a dump of every text and jsonb column after ingesting a PII corpus holds none of it', async () => {
    const database = await ctx.open({ now: T0 });
    await seedAttempts(
      database,
      PII.map((pii, i) => ({
        at: new Date(T0.getTime() + i * 1000),
        durationMs: 1000 + i,
        outcome: i % 2 === 0 ? ('failed' as const) : ('success' as const),
        anonSessionId: '5b0f3c2e-8f1a-4c1e-9d2b-3a4b5c6d7e8f',
        input: {
          destinationPrompt: 'Japan',
          options: {
            notes: `ramen; contact ${pii} please`,
            travelerDetails: { soloAge: '29', name: 'Anna Schmidt', email: pii },
            email: pii,
            phone: pii,
            ip: PII[5],
            userAgent: USER_AGENT,
            headers: { 'user-agent': USER_AGENT, 'x-forwarded-for': PII[5] },
          },
        },
        error: new Error(`upstream refused ${pii} at ${PII[5]}`),
      })),
    );
    const dump = await dumpAllText(database);
    expect(dump).toContain('[email]'); // the corpus did arrive, redacted
    for (const needle of NEEDLES) expect(dump, needle).not.toContain(needle);
    const report = await auditDatabase(database);
    expect(report.leaks).toBe(0);
    const attempts = report.tables.find(
      (t) => t.schema === database.schema && t.table === 'trip_creation_attempts',
    )!;
    expect(attempts.rows).toBe(PII.length);
    expect(attempts.oldest?.toISOString()).toBe(T0.toISOString());
    expect(attempts.freeTextColumns).toEqual(['input_snapshot_json', 'effective_defaults_json']);
    // The default notes policy stores a summary, not text: no placeholder in the snapshots either.
    expect(attempts.redactions.email).toBe(0);
    expect(dump).toContain('"redactions": {"ip": 0, "url": 0, "card": 0, "iban": 0, "email": 1');
  });

  it('the audit flags an unredacted e-mail, phone or card found in storage', async () => {
    const database = await ctx.open({ now: T0 });
    await seedAttempts(database, [{ at: T0, durationMs: 10, outcome: 'success' }]);
    await sql`UPDATE ${sql.table(`${database.schema}.trip_creation_attempts`)}
      SET input_snapshot_json = '{"notes": "mail anna@example.com or call +49 170 1234567"}'`.execute(
      database.db,
    );
    const report = await auditDatabase(database);
    const attempts = report.tables.find(
      (t) => t.schema === database.schema && t.table === 'trip_creation_attempts',
    )!;
    expect(attempts.leaks).toEqual({ email: 1, phone: 1, card: 0 });
    expect(report.leaks).toBe(2);
  });

  it('no column anywhere is named for an IP address or a user-agent', async () => {
    const database = await ctx.open({ now: T0 });
    const { rows } = await sql<{ name: string }>`
      SELECT table_schema || '.' || table_name || '.' || column_name AS name FROM information_schema.columns
      WHERE table_schema IN (${database.schema}, ${database.adminSchema})`.execute(database.db);
    expect(rows.length).toBeGreaterThan(20);
    const suspicious = rows
      .map((r) => r.name)
      .filter((name) =>
        /(^|[._])(ip|ips|ip_addr|ip_address|ipv4|ipv6|remote_addr|client_ip|x_forwarded_for|forwarded_for|user_agent|useragent|ua)($|_)/i.test(
          name.split('.').pop()!,
        ),
      );
    expect(suspicious).toEqual([]);
  });
});
