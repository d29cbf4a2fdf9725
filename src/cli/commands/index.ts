import type { Command } from '../command.js';
import { alertsCommand } from './alerts.js';
import { keysCommand } from './keys.js';
import { migrateCommand } from './migrate.js';
import { serveCommand } from './serve.js';
import { sqlCommand } from './sql.js';

/** Every CLI verb, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [
  serveCommand,
  migrateCommand,
  sqlCommand,
  keysCommand,
  alertsCommand,
];
