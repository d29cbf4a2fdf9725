import type { Config } from '../../config/index.js';
import type { DatabaseOptions } from '../../storage/index.js';
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
