import type { Database } from './database.js';
import { RAW_TABLES, type RawTable, type SchemaRole } from './raw-tables.js';

/** One registered raw table in one schema, as linkage and deletion address it. */
export interface RawTableTarget {
  /** Stable key of counts in results and receipts: `<role>.<table>`, e.g. `admin.trip_creation_events`. */
  key: string;
  /** Schema-qualified name, e.g. `trip_tracking_admin.trip_creation_events`. */
  qualified: string;
  role: SchemaRole;
  table: RawTable;
}

/**
 * Every (schema, table) pair of the raw-table registry, product schema first, in registry order.
 *
 * @example
 * rawTableTargets(database).filter((t) => t.table.kind !== 'link')
 */
export function rawTableTargets(database: Database): RawTableTarget[] {
  const targets: RawTableTarget[] = [];
  for (const role of ['product', 'admin'] as const) {
    const schema = role === 'product' ? database.schema : database.adminSchema;
    for (const table of RAW_TABLES) {
      if (!table.schemas.includes(role)) continue;
      targets.push({ key: `${role}.${table.name}`, qualified: `${schema}.${table.name}`, role, table });
    }
  }
  return targets;
}

/**
 * `counts` (as read back from `jsonb`, whose keys come in storage order) in registry order:
 * product schema first, then admin, each in the order of the registry.
 */
export function inRegistryOrder(database: Database, counts: Record<string, number>): Record<string, number> {
  const ordered: Record<string, number> = {};
  for (const { key } of rawTableTargets(database)) if (key in counts) ordered[key] = Number(counts[key]);
  return ordered;
}
