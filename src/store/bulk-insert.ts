import { type RawBuilder, sql } from 'kysely';
import type { CopyRow, WriteTransaction } from '../storage/index.js';
import type { Columns, RowShape } from './row-shape.js';

/** Batches of at least this many rows go through COPY where the engine has it; shorter ones through `unnest`. */
export const COPY_MIN_ROWS = 256;

/** Rows for one table: finished rows in `shape` order, nothing left for SQL to fill in. */
export interface BulkRows {
  /** Qualified table name. */
  table: string;
  // biome-ignore lint/suspicious/noExplicitAny: a list of tables of different shapes
  shape: RowShape<any>;
  /** Encoded as they are read: a generator keeps no row alive longer than its COPY line. */
  rows: Iterable<CopyRow>;
  /** How many rows `rows` yields. */
  count: number;
}

/**
 * Writes finished rows into their tables, in the order given: one COPY per table on PostgreSQL
 * when the batch has at least {@link COPY_MIN_ROWS} rows, else one statement that inserts every
 * table from an `unnest` of one array per column (no probe, no join: the rows are final).
 */
export async function bulkInsert(tx: WriteTransaction, tables: readonly BulkRows[]): Promise<void> {
  const present = tables.filter((t) => t.count > 0);
  if (present.length === 0) return;
  const total = present.reduce((n, t) => n + t.count, 0);
  if (tx.copy && total >= COPY_MIN_ROWS) {
    for (const t of present) await tx.copy(t.table, t.shape.names, t.rows);
    return;
  }
  const inserts = present.map(
    (t, k) =>
      sql`INSERT INTO ${sql.table(t.table)} (${t.shape.columnList()})
        SELECT ${t.shape.selectList(`i${k}`)} FROM ${t.shape.unnest([...t.rows], `i${k}`)}`,
  );
  const last = inserts.pop() as RawBuilder<unknown>;
  if (inserts.length === 0) {
    await tx.query(last);
    return;
  }
  const ctes = inserts.map((insert, k) => sql`${sql.raw(`w${k}`)} AS (${insert})`);
  await tx.query(sql`WITH ${sql.join(ctes)} ${last}`);
}

/** Rows of `items` encoded one by one as they are read (see {@link BulkRows.rows}). */
export function* mapRows<T>(
  items: readonly T[],
  row: (item: T, index: number) => CopyRow,
): Generator<CopyRow> {
  for (let k = 0; k < items.length; k++) yield row(items[k]!, k);
}

/** The bulk rows of `items` in `shape`. */
export const bulkRows = <C extends Columns, T>(
  table: string,
  shape: RowShape<C>,
  items: readonly T[],
  row: (item: T, index: number) => CopyRow,
): BulkRows => ({ table, shape, rows: mapRows(items, row), count: items.length });
