import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../storage/index.js';

/** How long a daily salt is kept; after this no fingerprint of its day can be recomputed. */
export const SALT_MAX_AGE_MS = 48 * 3_600_000;

/** The UTC day of `now`, `YYYY-MM-DD`. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * The salt of the UTC day of `now`: a random 32-byte value created on first use (concurrent
 * first uses agree: the first insert wins and everyone reads it back).
 */
export async function saltForDay(database: Database, now: Date): Promise<Uint8Array> {
  const table = sql.table(`${database.schema}.fingerprint_salts`);
  const day = utcDay(now);
  await sql`INSERT INTO ${table} (day, salt, created_at) VALUES (${day}::date, ${randomBytes(32)}, ${now.toISOString()}::timestamptz)
    ON CONFLICT (day) DO NOTHING`.execute(database.db);
  const { rows } = await sql<{
    salt: Uint8Array;
  }>`SELECT salt FROM ${table} WHERE day = ${day}::date`.execute(database.db);
  return new Uint8Array(rows[0]!.salt);
}

/**
 * Deletes every salt older than 48 hours (created more than 48 hours before `now`, or of a day
 * that ended more than 48 hours ago). Returns how many it deleted.
 */
export async function purgeFingerprintSalts(database: Database, options: { now: Date }): Promise<number> {
  const cutoff = new Date(options.now.getTime() - SALT_MAX_AGE_MS).toISOString();
  const result = await sql`
    DELETE FROM ${sql.table(`${database.schema}.fingerprint_salts`)}
    WHERE created_at < ${cutoff}::timestamptz OR day + 1 < ${cutoff}::timestamptz`.execute(database.db);
  return Number(result.numAffectedRows ?? 0);
}
