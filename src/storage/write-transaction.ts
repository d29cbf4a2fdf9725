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
  /** `COPY table (columns) FROM STDIN` of text-format rows (PostgreSQL); absent on PGlite. */
  readonly copy?: (table: string, columns: readonly string[], rows: readonly CopyRow[]) => Promise<void>;
}

/** Escapes one value for COPY's text format (`\N` is NULL). */
export function copyText(value: CopyRow[number]): string {
  if (value === null || value === undefined) return '\\N';
  const text = String(value);
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : text;
}

/** Streams rows to a COPY … FROM STDIN on `client`, in chunks of lines. */
export async function copyRows(
  client: pg.ClientBase,
  table: string,
  columns: readonly string[],
  rows: readonly CopyRow[],
): Promise<void> {
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  function* chunks() {
    let chunk = '';
    for (const row of rows) {
      chunk += `${row.map(copyText).join('\t')}\n`;
      if (chunk.length >= 65_536) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  await pipeline(Readable.from(chunks()), stream);
}

/** A {@link WriteTransaction} over a pooled PostgreSQL client (BEGIN … COMMIT, with COPY). */
export async function postgresWriteTransaction<T>(
  pool: pg.Pool,
  compiler: Kysely<unknown>,
  fn: (tx: WriteTransaction) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const tx: WriteTransaction = {
      async query<R>(query: RawBuilder<R>) {
        const compiled = query.compile(compiler);
        const result = await client.query(compiled.sql, compiled.parameters as unknown[]);
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
