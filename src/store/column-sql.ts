import { type RawBuilder, sql } from 'kysely';
import type { CopyRow } from '../storage/index.js';

/** A table's columns for a bulk insert: name and Postgres type of each. */
export type Columns = readonly (readonly [name: string, type: string])[];

/** The column names, in order. */
export const columnNames = (columns: Columns) => columns.map(([name]) => name);

/** `"a", "b", …`: the column list of an INSERT. */
export const columnList = (columns: Columns) => sql.join(columnNames(columns).map((name) => sql.id(name)));

/** `alias.column` for each column, or the given expression instead. */
export const selectList = (
  columns: Columns,
  alias: string,
  instead: Record<string, RawBuilder<unknown>> = {},
) => sql.join(columnNames(columns).map((name) => instead[name] ?? sql.ref(`${alias}.${name}`)));

/**
 * `unnest($1::type[], …) AS alias(columns…)`: rows in `columns` order as one array parameter
 * per column (plus extra arrays and their names).
 */
export function unnestRows(
  columns: Columns,
  rows: readonly CopyRow[],
  alias: string,
  extraArrays: RawBuilder<unknown> = sql``,
  extraNames = '',
): RawBuilder<unknown> {
  const arrays = columns.map(([, type], k) => sql`${rows.map((row) => row[k] ?? null)}::${sql.raw(type)}[]`);
  return sql`unnest(${sql.join(arrays)}${extraArrays}) AS ${sql.raw(alias)}(${sql.raw(columnNames(columns).join(', ') + extraNames)})`;
}

/** What {@link idList} joins ids with: no id the write path takes can contain it (all are validated). */
const ID_SEPARATOR = '\u001f';

/**
 * A list of ids as ONE text parameter, split by PostgreSQL: `string_to_array($1, chr(31))`.
 * It splits in half the time it parses an array literal of the same ids, and the client skips
 * quoting and escaping each of them. Ids are request ids (printable ASCII) and UUIDs.
 */
export function idList(ids: readonly string[]): RawBuilder<string[]> {
  // An id the split cannot carry (empty, or holding the separator: only rows written before ids
  // were validated everywhere) goes the slower way, as an array literal.
  if (ids.some((id) => id === '' || id.includes(ID_SEPARATOR))) return sql<string[]>`${ids}::text[]`;
  return sql<string[]>`string_to_array(${ids.join(ID_SEPARATOR)}::text, chr(31))`;
}
