import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type RawBuilder,
  sql,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import { defineRow, integer, nullable, text, timestamptz, uuid } from './row-shape.js';

/** Compiles SQL as the write path sends it, connecting to nothing. */
const compiler = new Kysely<unknown>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});
const compile = (query: RawBuilder<unknown>) => query.compile(compiler);

const T0 = Date.parse('2026-03-10T12:00:00.123Z');

describe('defineRow', () => {
  const shape = defineRow({ id: uuid, at: timestamptz, n: nullable(integer), note: nullable(text) });
  /** A source with every column under its name (and one more field). */
  type Item = { id: string; at: Date; n: number | null; note: string | null; other: string };
  const item = (id: string, n: number | null): Item => ({ id, at: new Date(T0), n, note: 'own', other: '-' });
  const encode = shape.encoder<Item, string>({ note: (_source, context) => context });

  it('encodes in declaration order: fields of the same name, readers, timestamps as ISO text', () => {
    expect(encode(item('x', 7), 'ctx')).toEqual(['x', '2026-03-10T12:00:00.123Z', 7, 'ctx']);
    expect(encode(item('y', null), 'c')[2]).toBeNull();
    const foreign = shape.encoder<{ key: number; when: Date }>({
      id: (source) => `k${source.key}`,
      at: (source) => source.when,
      n: (source) => source.key * 2,
      note: () => null,
    });
    expect(foreign({ key: 3, when: new Date(T0 + 1) })).toEqual(['k3', '2026-03-10T12:00:00.124Z', 6, null]);
  });

  it('builds the column list, the select list and a typed unnest with extra arrays', () => {
    expect(compile(sql`${shape.columnList()}`).sql).toBe('"id", "at", "n", "note"');
    expect(compile(sql`${shape.selectList('i', { n: sql`coalesce(i.n, 0)` })}`).sql).toBe(
      '"i"."id", "i"."at", coalesce(i.n, 0), "i"."note"',
    );
    const rows = [encode(item('a', 1), 'p'), encode(item('b', null), 'q')];
    const query = compile(sql`${shape.unnest(rows, 'i', { more: sql`${[true, false]}::boolean[]` })}`);
    expect(query.sql).toBe(
      'unnest($1::uuid[], $2::timestamptz[], $3::integer[], $4::text[], $5::boolean[]) AS i(id, at, n, note, more)',
    );
    expect(query.parameters).toEqual([
      ['a', 'b'],
      ['2026-03-10T12:00:00.123Z', '2026-03-10T12:00:00.123Z'],
      [1, null],
      ['p', 'q'],
      [true, false],
    ]);
  });

  it('extends a shape with fields after its columns', () => {
    expect(shape.extend({ done: nullable(timestamptz) }).names).toEqual(['id', 'at', 'n', 'note', 'done']);
    expect(shape.names).toEqual(['id', 'at', 'n', 'note']);
  });

  it('asks for a reader of every column a foreign source does not carry, of the column type', () => {
    // @ts-expect-error: `n` and `note` have no reader and the source has no such fields
    shape.encoder<{ id: string; at: Date }>({});
    // @ts-expect-error: a reader must return the column's value type
    shape.encoder<{ id: string; at: Date; n: number; note: string }>({ at: () => 'not a date' });
  });
});
