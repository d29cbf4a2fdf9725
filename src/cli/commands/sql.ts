import { adminSchemaOf, migrationScript } from '../../storage/index.js';
import type { Command } from '../command.js';
import { parseNow } from './shared.js';

/** `tripmeter sql`: every migration as one plain SQL script, for psql / Supabase. */
export const sqlCommand: Command = {
  name: 'sql',
  summary: 'print every migration as one plain SQL script (psql -v ON_ERROR_STOP=1, Supabase)',
  usage: 'tripmeter sql [--schema NAME] [--now <ISO time>] > tripmeter.sql',
  flags: { now: { type: 'string', help: 'the clock, for the partitions the script creates' } },
  settings: ['schema'],
  async run({ config, flags, out }) {
    out(migrationScript(config.schema, adminSchemaOf(config.schema), parseNow(flags.now)));
    return 0;
  },
};
