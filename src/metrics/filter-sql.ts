import { type RawBuilder, sql } from 'kysely';
import type { MetricsFilter } from './metrics-query.js';

/**
 * The `AND …` conditions of the dimension filters, for raw attempt rows (`alias.provider` may be
 * NULL there) or rollup rows (absent dimensions are stored as `''`). Unset filters add nothing.
 */
export function filterSql(filter: MetricsFilter, alias: string): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [];
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  if (filter.provider !== undefined) parts.push(sql` AND ${column('provider')} = ${filter.provider}`);
  if (filter.model !== undefined) parts.push(sql` AND ${column('model')} = ${filter.model}`);
  if (filter.promptContractVersion !== undefined)
    parts.push(sql` AND ${column('prompt_contract_version')} = ${filter.promptContractVersion}`);
  if (filter.source !== undefined) parts.push(sql` AND ${column('source')} = ${filter.source}`);
  if (filter.flow !== undefined) parts.push(sql` AND ${column('flow')} = ${filter.flow}`);
  return parts.length === 0 ? sql`` : sql.join(parts, sql``);
}

/** `true` when any dimension filter is set. */
export function hasFilter(filter: MetricsFilter): boolean {
  return (
    filter.provider !== undefined ||
    filter.model !== undefined ||
    filter.promptContractVersion !== undefined ||
    filter.source !== undefined ||
    filter.flow !== undefined
  );
}

/** A qualified table reference in the product schema (never the admin benchmark schema). */
export function productTable(schema: string, table: string) {
  return sql.table(`${schema}.${table}`);
}

/** `true` when the product schema holds `table` (some tables arrive with later migrations). */
export async function tableExists(
  db: Parameters<RawBuilder<unknown>['execute']>[0],
  schema: string,
  table: string,
): Promise<boolean> {
  const { rows } = await sql<{ present: boolean }>`
    SELECT to_regclass(${`${schema}.${table}`}) IS NOT NULL AS present`.execute(db);
  return rows[0]?.present === true;
}
