import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Kysely, RawBuilder } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** One row of values for COPY (text format): strings, numbers, booleans, null. */
export type CopyRow = readonly (string | number | boolean | null | undefined)[];

/**
 * A transaction on one connection, for the write path: `sql` template queries, and COPY where
 * the engine offers it. Rolled back when the callback throws.
 */
export interface WriteTransaction {
  /** Runs a query built with Kysely's `sql` template; resolves with its rows. */
  query<R>(query: RawBuilder<R>): Promise<R[]>;
  /**
   * `COPY table (columns) FROM STDIN` of text-format rows (PostgreSQL); absent on PGlite. Rows
   * are encoded as the stream asks for them: a generator keeps no row alive longer than its line.
   */
  readonly copy?: (table: string, columns: readonly string[], rows: Iterable<CopyRow>) => Promise<void>;
}

/** How a write transaction starts. */
export interface WriteTransactionOptions {
  /** Settings for this transaction only (`SET LOCAL`), sent with its BEGIN. */
  settings?: Readonly<Record<string, string>>;
}

const SETTING = /^[a-z_][a-z0-9_.]*$/;

/** `SET LOCAL` statements for `settings` (names and values are the code's own constants, checked). */
export function setLocalStatements(settings: Readonly<Record<string, string>> = {}): string[] {
  return Object.entries(settings).map(([name, value]) => {
    if (!SETTING.test(name) || !SETTING.test(value)) throw new Error(`invalid transaction setting ${name}`);
    return `SET LOCAL ${name} = ${value}`;
  });
}

const COPY_SPECIAL = /[\\\t\n\r]/;

/** Escapes one value for COPY's text format (`\N` is NULL). */
export function copyText(value: CopyRow[number]): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return String(value);
  const text = String(value);
  return COPY_SPECIAL.test(text)
    ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : text;
}

/** Streams rows to a COPY … FROM STDIN on `client`, in chunks of lines. */
export async function copyRows(
  client: pg.ClientBase,
  table: string,
  columns: readonly string[],
  rows: Iterable<CopyRow>,
): Promise<void> {
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  // A line is one join of its cells: `+=` per cell left a rope of ~70 nodes per attempt for the
  // GC, which cost more in the writer than the join (measured).
  function* chunks() {
    const cells: string[] = [];
    let chunk = '';
    for (const row of rows) {
      cells.length = row.length;
      for (let i = 0; i < row.length; i++) cells[i] = copyText(row[i]);
      chunk += `${cells.join('\t')}\n`;
      if (chunk.length >= 65_536) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  await pipeline(Readable.from(chunks()), stream);
}

const names = new Map<string, string>();

/** A stable prepared-statement name for a SQL text (the write path has a few dozen). */
function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `tm_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    if (names.size < 1_000) names.set(text, name);
  }
  return name;
}

/** A {@link WriteTransaction} over a pooled PostgreSQL client (BEGIN … COMMIT, with COPY). */
export async function postgresWriteTransaction<T>(
  pool: pg.Pool,
  compiler: Kysely<unknown>,
  fn: (tx: WriteTransaction) => Promise<T>,
  options: WriteTransactionOptions = {},
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    // One round trip: BEGIN and the transaction's settings as one simple query.
    await client.query(['BEGIN', ...setLocalStatements(options.settings)].join('; '));
    const tx: WriteTransaction = {
      async query<R>(query: RawBuilder<R>) {
        const compiled = query.compile(compiler);
        // Named: each connection parses and plans a statement of the write path once.
        const result = await client.query({
          name: statementName(compiled.sql),
          text: compiled.sql,
          values: compiled.parameters as unknown[],
        });
        return result.rows as R[];
      },
      copy: (table, columns, rows) => copyRows(client, table, columns, rows),
    };
    const value = await fn(tx);
    await client.query('COMMIT');
    return value;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError; // the connection is gone: do not return it to the pool
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
