import { type Kysely, sql } from 'kysely';
import { finalizeRollups } from '../rollups/index.js';
import { type Database, RAW_TABLES } from '../storage/index.js';
import { partitionsOf } from './partition-bounds.js';
import { DEFAULT_ROW_DAYS, DEFAULT_SNAPSHOT_DAYS, validateRetentionWindows } from './retention-windows.js';

// biome-ignore lint/suspicious/noExplicitAny: generic over every registered raw table
type AnyDb = Kysely<any>;

const DAY_MS = 86_400_000;

/**
 * Columns set to NULL after the snapshot window. The `flow` column is not one: it is the
 * snapshot's flow lifted out as an identifier (no free text), kept as long as the row so filters
 * by flow still work on rows older than the window.
 */
export const SCRUBBED_COLUMNS = ['input_snapshot_json', 'effective_defaults_json'] as const;
/** Keys removed from every other `jsonb` column (payloads, client event props) after the snapshot window. */
export const NOTE_BEARING_KEYS = ['error_message', 'notes'] as const;

/** Options of {@link runRetention}. */
export interface RetentionOptions {
  /** The clock: windows are measured back from here, to the millisecond. */
  now: Date;
  /** Days after which snapshots and note-bearing keys are NULLed (default 30). */
  snapshotDays?: number;
  /** Days after which raw rows are deleted (default 90; snapshotDays ≤ rowDays ≤ 365). */
  rowDays?: number;
}

/** What retention did to one table of one schema. */
export interface TableRetention {
  schema: string;
  table: string;
  droppedPartitions: string[];
  rowsDeleted: number;
  rowsScrubbed: number;
}

/** What {@link runRetention} did. */
export interface RetentionResult {
  rowCutoff: Date;
  snapshotCutoff: Date;
  /** Rollup hours before this are final (finalized before any raw row was deleted). */
  finalizedThrough: Date | null;
  tables: TableRetention[];
}

/**
 * Applies the retention windows to every table of the raw-table registry, in both schemas:
 * first finalizes the rollups of the period about to be deleted, then deletes rows older than
 * `rowDays` (dropping whole partitions that lie entirely before the cutoff, deleting rows of
 * the boundary partition), then NULLs snapshots and strips note-bearing payload keys of rows
 * older than `snapshotDays`. Idempotent; returns what it did.
 *
 * @example
 * await runRetention(database, { now: new Date(), snapshotDays: 30, rowDays: 90 });
 */
export async function runRetention(database: Database, options: RetentionOptions): Promise<RetentionResult> {
  const { snapshotDays, rowDays } = validateRetentionWindows({
    snapshotDays: options.snapshotDays ?? DEFAULT_SNAPSHOT_DAYS,
    rowDays: options.rowDays ?? DEFAULT_ROW_DAYS,
  });
  const now = options.now;
  const rowCutoff = new Date(now.getTime() - rowDays * DAY_MS);
  const snapshotCutoff = new Date(now.getTime() - snapshotDays * DAY_MS);
  const finalized = await finalizeRollups(database, { through: rowCutoff, now });
  const db = database.db as AnyDb;
  const tables: TableRetention[] = [];
  for (const raw of RAW_TABLES) {
    for (const role of raw.schemas) {
      const schema = role === 'product' ? database.schema : database.adminSchema;
      const columns = await columnsOf(db, schema, raw.name);
      if (columns.size === 0) continue; // registered, but its migration is not applied here
      const result: TableRetention = {
        schema,
        table: raw.name,
        droppedPartitions: [],
        rowsDeleted: 0,
        rowsScrubbed: 0,
      };
      if (raw.kind === 'link') {
        result.rowsDeleted = await deleteExpiredLinks(database, schema, raw.name, rowCutoff);
      } else {
        await deleteExpired(db, result, raw.partitioned, rowCutoff);
        result.rowsScrubbed = await scrub(db, schema, raw.name, columns, { rowCutoff, snapshotCutoff });
      }
      tables.push(result);
    }
  }
  return { rowCutoff, snapshotCutoff, finalizedThrough: finalized.finalizedThrough, tables };
}

async function columnsOf(db: AnyDb, schema: string, table: string): Promise<Map<string, string>> {
  const { rows } = await sql<{ name: string; type: string }>`
    SELECT column_name AS name, data_type AS type FROM information_schema.columns
    WHERE table_schema = ${schema} AND table_name = ${table}`.execute(db);
  return new Map(rows.map((row) => [row.name, row.type]));
}

/**
 * Identity links (the registry lists them last, so the raw rows are already purged): the audit
 * rows (`conflict`, `already_linked`) age out with the raw rows; a `linked` row older than the
 * row window goes once no raw row of its anonymous id is left in any raw table of either
 * schema (while rows remain, writers and deletion still need it).
 */
async function deleteExpiredLinks(database: Database, schema: string, table: string, cutoff: Date) {
  const db = database.db as AnyDb;
  const holders = [];
  for (const raw of RAW_TABLES) {
    if (raw.kind === 'link' || !raw.subjectColumns.includes('anon_session_id')) continue;
    for (const role of raw.schemas) {
      const rawSchema = role === 'product' ? database.schema : database.adminSchema;
      if ((await columnsOf(db, rawSchema, raw.name)).size === 0) continue;
      holders.push(
        sql`EXISTS (SELECT 1 FROM ${sql.table(`${rawSchema}.${raw.name}`)} AS r WHERE r.anon_session_id = l.anon_session_id)`,
      );
    }
  }
  const stillHeld = holders.length > 0 ? sql.join(holders, sql` OR `) : sql`false`;
  const deleted = await sql`
    DELETE FROM ${sql.table(`${schema}.${table}`)} AS l
    WHERE l.linked_at < ${cutoff.toISOString()}::timestamptz
      AND (l.outcome <> 'linked' OR NOT (${stillHeld}))`.execute(db);
  return Number(deleted.numAffectedRows ?? 0);
}

async function deleteExpired(db: AnyDb, result: TableRetention, partitioned: boolean, cutoff: Date) {
  const at = cutoff.toISOString();
  const targets = partitioned
    ? await partitionsOf(db, result.schema, result.table)
    : [{ schema: result.schema, name: result.table, from: null, to: null }];
  for (const part of targets) {
    const table = sql.table(`${part.schema}.${part.name}`);
    if (part.to !== null && part.to.getTime() <= cutoff.getTime()) {
      await sql`DROP TABLE ${table}`.execute(db);
      result.droppedPartitions.push(`${part.schema}.${part.name}`);
    } else if (part.from === null || part.from.getTime() < cutoff.getTime()) {
      const deleted = await sql`DELETE FROM ${table} WHERE created_at < ${at}::timestamptz`.execute(db);
      result.rowsDeleted += Number(deleted.numAffectedRows ?? 0);
    }
  }
}

async function scrub(
  db: AnyDb,
  schema: string,
  table: string,
  columns: Map<string, string>,
  cutoffs: { rowCutoff: Date; snapshotCutoff: Date },
): Promise<number> {
  const nulled = SCRUBBED_COLUMNS.filter((c) => columns.has(c));
  const stripped = [...columns]
    .filter(([name, type]) => type === 'jsonb' && !(SCRUBBED_COLUMNS as readonly string[]).includes(name))
    .map(([name]) => name);
  if (nulled.length === 0 && stripped.length === 0) return 0;
  const keys = [...NOTE_BEARING_KEYS];
  const sets = [
    ...nulled.map((c) => sql`${sql.ref(c)} = NULL`),
    ...stripped.map((c) => sql`${sql.ref(c)} = ${sql.ref(c)} - ${keys}::text[]`),
  ];
  const dirty = [
    ...nulled.map((c) => sql`${sql.ref(c)} IS NOT NULL`),
    ...stripped.map((c) => sql`${sql.ref(c)} ?| ${keys}::text[]`),
  ];
  const updated = await sql`
    UPDATE ${sql.table(`${schema}.${table}`)} SET ${sql.join(sets)}
    WHERE created_at < ${cutoffs.snapshotCutoff.toISOString()}::timestamptz
      AND created_at >= ${cutoffs.rowCutoff.toISOString()}::timestamptz
      AND (${sql.join(dirty, sql` OR `)})`.execute(db);
  return Number(updated.numAffectedRows ?? 0);
}
