import { loadPrices } from '../../prices/index.js';
import { migrate } from '../../storage/index.js';
import type { Command } from '../command.js';
import { DATABASE_SETTINGS, parseNow, withDatabase } from './shared.js';

/** `tripmeter migrate`: apply pending migrations and create partitions ahead. */
export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'apply pending migrations (idempotent) and create partitions ahead',
  usage: 'tripmeter migrate [--now <ISO time>] [--database-url URL | --data-dir DIR] [--schema NAME]',
  flags: { now: { type: 'string', help: 'the clock, for creating partitions (default: now)' } },
  settings: [...DATABASE_SETTINGS, 'prices'],
  async run({ config, flags, out }) {
    return withDatabase(config, async (database) => {
      const result = await migrate(database, parseNow(flags.now));
      const prices = await loadPrices(database, config.prices);
      const where =
        database.kind === 'postgres'
          ? `PostgreSQL schema ${database.schema}`
          : `PGlite ${config.dataDir}, schema ${database.schema}`;
      if (result.applied.length === 0)
        out(`${where}: up to date (schema version ${result.schemaVersion}); nothing applied`);
      for (const m of result.applied)
        out(`${where}: applied ${String(m.version).padStart(4, '0')}_${m.name}`);
      if (result.partitionsCreated.length > 0)
        out(`created ${result.partitionsCreated.length} partitions ahead`);
      if (prices > 0) out(`model prices: ${prices} rows written (tripmeter prices list)`);
      return 0;
    });
  },
};
