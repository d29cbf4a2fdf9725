import { type RawBuilder, sql } from 'kysely';
import type { CopyRow } from '../storage/index.js';
import { isoTime } from './iso-time.js';

/** The PostgreSQL types of the columns the write path stores. */
export type PgType = 'text' | 'uuid' | 'integer' | 'bigint' | 'numeric' | 'boolean' | 'timestamptz' | 'jsonb';

/** A column: its PostgreSQL type and, for TypeScript only, the value a row holds in it. */
export interface Column<T> {
  readonly type: PgType;
  /** Never set at run time: it carries `T` to {@link RowOf}. */
  readonly value?: T;
}

const column = <T>(type: PgType): Column<T> => ({ type });

export const text = column<string>('text');
export const uuid = column<string>('uuid');
export const integer = column<number>('integer');
/** A sum of integers (safe in a JavaScript number far beyond any token count). */
export const bigint = column<number>('bigint');
/** An exact decimal, as its text (`'0.009025000000'`): never a binary float. */
export const numeric = column<string>('numeric');
export const boolean = column<boolean>('boolean');
export const timestamptz = column<Date>('timestamptz');
/** JSON already serialized to text (once, by whoever builds the row), stored as `jsonb`. */
export const jsonb = column<string>('jsonb');

/** The same column, NULL allowed. */
export const nullable = <T>(c: Column<T>) => c as Column<T | null>;

/** A `text` column whose values are the members of `T` (those of a CHECK constraint). */
export const textOf = <T extends string>() => text as Column<T>;

/** Column name → column, in the order of the table's columns. */
export type Columns = Readonly<Record<string, Column<unknown>>>;

/** The object type of a row of `C`: one field per column, of the column's value type. */
export type RowOf<C extends Columns> = { -readonly [K in keyof C]: C[K] extends Column<infer T> ? T : never };

/** One value of an encoded row: what COPY's text format and an `unnest` array parameter take. */
type Cell = CopyRow[number];

/** How a value of each type is encoded; `timestamptz` by {@link isoTime} on every path. */
const ENCODE: Partial<Record<PgType, (value: never) => Cell>> = {
  timestamptz: (value: Date | null) => (value === null ? null : isoTime(value)),
};

/** Reads one column's value of a row from a source object (and a context shared by a batch). */
type Reader<S, Ctx, T> = (source: S, context: Ctx) => T;

/**
 * The readers an encoder takes: one per column; when the source carries every column under its
 * own name (`[S] extends [row]`), only those that differ.
 */
export type Readers<R, S, Ctx> = [S] extends [R]
  ? { [K in keyof R]?: Reader<S, Ctx, R[K]> }
  : { [K in keyof R]: Reader<S, Ctx, R[K]> };

/**
 * A row shape: one declaration of a table's columns and their PostgreSQL types, from which the
 * row type ({@link RowOf}), the column list of COPY and INSERT, the typed `unnest` and the
 * encoder of rows are derived, so a new column is one line here.
 *
 * @example
 * const EVENT_ROW = defineRow({ id: uuid, created_at: timestamptz, payload_json: nullable(jsonb) });
 * const encode = EVENT_ROW.encoder<TelemetryEvent>({ id: (e) => e.id, created_at: (e) => e.occurredAt, … });
 * await tx.copy(table, EVENT_ROW.names, events.map((e) => encode(e)));
 */
export class RowShape<C extends Columns> {
  /** The column names, in declaration order: the order of every encoded row. */
  readonly names: readonly (keyof C & string)[];
  /** The PostgreSQL type of each column, in the same order. */
  readonly types: readonly PgType[];

  constructor(readonly columns: C) {
    this.names = Object.keys(columns);
    this.types = this.names.map((name) => columns[name]!.type);
  }

  /**
   * This shape with more fields after its columns: values a statement reads from its `unnest`
   * but no table stores (the attempt patch's `start_known`, for the merge), or columns only one
   * path writes (the bulk path's costs and totals). Rows of the wider shape are a row of this
   * shape followed by the cells of `fields`.
   */
  extend<E extends Columns>(fields: E): RowShape<C & E> {
    return new RowShape({ ...this.columns, ...fields });
  }

  /**
   * An encoder of rows in {@link names} order from a source: `read` gives each column's value
   * (columns it leaves out are the source's field of the same name, when the source has them
   * all), and each value is encoded for its type.
   */
  encoder<S, Ctx = void>(read: Readers<RowOf<C>, S, Ctx>): (source: S, context: Ctx) => CopyRow {
    return positionalEncoder(
      this.names,
      this.types,
      read as Partial<Record<string, Reader<S, Ctx, unknown>>>,
    );
  }

  /** Encoded rows as one array per column, by column name. */
  columnArrays(rows: readonly CopyRow[]): Record<keyof C & string, Cell[]> {
    const arrays = {} as Record<keyof C & string, Cell[]>;
    this.names.forEach((name, k) => {
      arrays[name] = rows.map((row) => row[k] ?? null);
    });
    return arrays;
  }

  /** `"a", "b", …`: the column list of an INSERT. */
  columnList(): RawBuilder<unknown> {
    return sql.join(this.names.map((name) => sql.id(name)));
  }

  /** `alias.column` for each column, or the given expression instead. */
  selectList(
    alias: string,
    instead: Partial<Record<keyof C, RawBuilder<unknown>>> = {},
  ): RawBuilder<unknown> {
    return sql.join(this.names.map((name) => instead[name] ?? sql.ref(`${alias}.${name}`)));
  }

  /**
   * `unnest($1::type[], …) AS alias(columns…)`: encoded rows as one typed array parameter per
   * column, then the `extra` arrays (name → typed array expression) under their names.
   */
  unnest(
    rows: readonly CopyRow[],
    alias: string,
    extra: Readonly<Record<string, RawBuilder<unknown>>> = {},
  ): RawBuilder<unknown> {
    const arrays = this.columnArrays(rows);
    const parameters = this.names.map((name, k) => sql`${arrays[name]}::${sql.raw(this.types[k]!)}[]`);
    const names = [...this.names, ...Object.keys(extra)].join(', ');
    return sql`unnest(${sql.join([...parameters, ...Object.values(extra)])}) AS ${sql.raw(alias)}(${sql.raw(names)})`;
  }
}

/**
 * The encoder of {@link RowShape.encoder}, generated once per shape as the positional builder one
 * would write by hand (`(s, c) => [s["id"], e1(s["created_at"]), r2(s, c), …]`): every cell is
 * a plain field read or a call at a call site of its own, which the engine inlines. A loop over
 * an array of per-column closures would make every cell a call the engine cannot inline, on the
 * write path's hottest loop (three rows per attempt).
 */
function positionalEncoder<S, Ctx>(
  names: readonly string[],
  types: readonly PgType[],
  readers: Partial<Record<string, Reader<S, Ctx, unknown>>>,
): (source: S, context: Ctx) => CopyRow {
  const functions: { [name: string]: unknown } = {};
  const cells = names.map((name, k) => {
    const reader = Object.hasOwn(readers, name) ? readers[name] : undefined;
    if (reader) functions[`r${k}`] = reader;
    let cell = reader ? `r${k}(s, c)` : `s[${JSON.stringify(name)}]`;
    const encode = ENCODE[types[k]!];
    if (encode) {
      functions[`e${k}`] = encode;
      cell = `e${k}(${cell})`;
    }
    return cell;
  });
  const parameters = Object.keys(functions);
  // The code is built from the shape's own names (quoted as string literals) and indexes only.
  const make = new Function(...parameters, `return (s, c) => [${cells.join(', ')}];`);
  return make(...parameters.map((name) => functions[name]));
}

/** Declares a row shape: column name → column, in the table's order. */
export const defineRow = <C extends Columns>(columns: C) => new RowShape(columns);
