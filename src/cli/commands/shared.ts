import type { Config } from '../../config/index.js';
import { SubjectIdError } from '../../domain/index.js';
import { type Database, type DatabaseOptions, openDatabase } from '../../storage/index.js';
import { UsageError } from '../command.js';

/** The settings every database-touching command accepts. */
export const DATABASE_SETTINGS = ['databaseUrl', 'dataDir', 'schema', 'logLevel'] as const;

/** Database options from the frozen config. */
export function databaseOptions(config: Config): DatabaseOptions {
  return { databaseUrl: config.databaseUrl, dataDir: config.dataDir, schema: config.schema };
}

/** Parses `--now` (the injectable clock of every job verb); absent means the real clock. */
export function parseNow(value: unknown): Date {
  if (value === undefined) return new Date();
  const date = new Date(String(value));
  if (typeof value !== 'string' || Number.isNaN(date.getTime())) {
    throw new UsageError(
      `--now must be an ISO 8601 time such as 2026-11-25T10:00:00Z, got ${JSON.stringify(value)}`,
    );
  }
  return date;
}

/** Opens the configured database, runs `fn` with it, and closes it whatever happens. */
export async function withDatabase<T>(config: Config, fn: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase(databaseOptions(config));
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

/** A `.catch` for verbs taking subject ids: a refused id (`SubjectIdError`) leaves as a usage error. */
export function subjectIdAsUsageError(error: unknown): never {
  if (error instanceof SubjectIdError) throw new UsageError(`${error.code}: ${error.message}`);
  throw error;
}
