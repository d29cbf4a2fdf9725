import { type RawBuilder, sql } from 'kysely';

/** What {@link idList} joins ids with: no id the write path takes can contain it (all are validated). */
const ID_SEPARATOR = '\u001f';

/**
 * A list of ids as ONE text parameter, split by PostgreSQL: `string_to_array($1, chr(31))`.
 * PostgreSQL splits it faster than it parses an array literal of the same ids, and the client
 * skips quoting and escaping each of them. Ids are request ids (printable ASCII) and UUIDs.
 */
export function idList(ids: readonly string[]): RawBuilder<string[]> {
  // An id the split cannot carry (empty, or holding the separator: only rows written before ids
  // were validated everywhere) goes the slower way, as an array literal.
  if (ids.some((id) => id === '' || id.includes(ID_SEPARATOR))) return sql<string[]>`${ids}::text[]`;
  return sql<string[]>`string_to_array(${ids.join(ID_SEPARATOR)}::text, chr(31))`;
}
