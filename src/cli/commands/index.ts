import type { Command } from '../command.js';
import { alertsCommand } from './alerts.js';
import { auditCommand } from './audit.js';
import { deleteCommand } from './delete.js';
import { demoCommand } from './demo.js';
import { keysCommand } from './keys.js';
import { linkCommand } from './link.js';
import { migrateCommand } from './migrate.js';
import { pricesCommand } from './prices.js';
import { reconcileCommand } from './reconcile.js';
import { reportCommand } from './report.js';
import { retentionCommand } from './retention.js';
import { rollupCommand } from './rollup.js';
import { serveCommand } from './serve.js';
import { sqlCommand } from './sql.js';

/** Every CLI verb, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [
  serveCommand,
  migrateCommand,
  sqlCommand,
  keysCommand,
  reportCommand,
  demoCommand,
  linkCommand,
  deleteCommand,
  reconcileCommand,
  alertsCommand,
  rollupCommand,
  pricesCommand,
  retentionCommand,
  auditCommand,
];
