import { sql } from 'kysely';
import type { Logger } from '../logging/index.js';
import type { Database } from '../storage/index.js';
import { loadDemo } from './load-demo.js';

/** Days of demo traffic `serve --demo-if-empty` writes. */
export const FIRST_RUN_DEMO_DAYS = 30;

/** Sessions per day of the first-run demo (about 30 s of loading on PGlite). */
export const FIRST_RUN_SESSIONS_PER_DAY = 120;

/**
 * First run of `npm start`: fills an embedded (PGlite) database that holds no attempt yet with
 * {@link FIRST_RUN_DEMO_DAYS} days of demo traffic. Never touches PostgreSQL or a database with
 * data. Returns whether it loaded anything.
 */
export async function loadDemoIfEmpty(
  database: Database,
  options: { now: Date; logger: Logger },
): Promise<boolean> {
  if (database.kind !== 'pglite') return false;
  const { rows } = await sql<{ any: boolean }>`
    SELECT EXISTS (SELECT 1 FROM ${sql.table(`${database.schema}.trip_creation_attempts`)}) AS any`.execute(
    database.db,
  );
  if (rows[0]?.any) return false;
  options.logger.info(
    { days: FIRST_RUN_DEMO_DAYS },
    'empty embedded database: loading demo data (first run)',
  );
  const result = await loadDemo(database, {
    days: FIRST_RUN_DEMO_DAYS,
    now: options.now,
    sessionsPerDay: FIRST_RUN_SESSIONS_PER_DAY,
  });
  options.logger.info(
    {
      attempts: result.attempts,
      sessions: result.sessions,
      ctaClicks: result.ctaClicks,
    },
    'demo data loaded',
  );
  return true;
}
