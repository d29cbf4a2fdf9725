import { type Kysely, sql } from 'kysely';
import { emptyRedactionCounts, type RedactionCounts, redactText } from '../privacy/index.js';
import type { Database } from '../storage/index.js';

/** What the audit found in one table. */
export interface TableAudit {
  schema: string;
  table: string;
  rows: number;
  /** Oldest `created_at` (or `linked_at`), when the table has one. */
  oldest: Date | null;
  /** Columns that can hold free text: `jsonb` string values and unstructured `text` columns. */
  freeTextColumns: string[];
  /** Placeholders (`[email]`, `[phone]`, …) found: what redaction replaced. */
  redactions: RedactionCounts;
  /** Unredacted items found, by kind (the redactor run as a detector). */
  leaks: Pick<RedactionCounts, 'email' | 'phone' | 'card'>;
}

/** The audit of both schemas; `leaks` > 0 means personal data is stored unredacted. */
export interface AuditReport {
  tables: TableAudit[];
  leaks: number;
}

/** `text` columns that hold identifiers, enums, hashes or labels, never free text. */
const STRUCTURED =
  /^(id|status|provider|model|source|flow|fingerprint|name|scope|outcome|checksum|state|severity|rule|kind)$|(_id|_code|_kind|_version|_type|_prefix|_hash|_hmac|_key|_name|_state)$/;
const PLACEHOLDER = /\[(email|phone|url|ip|card|iban|handle)\]/g;
/** Values read per column (the newest rows are not preferred: the audit is a sample past this). */
const MAX_VALUES = 200_000;

// biome-ignore lint/suspicious/noExplicitAny: the audit walks every table of the catalog
type AnyDb = Kysely<any>;

/**
 * Audits every table of the product and admin schemas: rows, oldest row, free-text columns,
 * redaction placeholders, and unredacted e-mail addresses, phone numbers and card numbers
 * (found by running the redactor over every stored free-text value).
 *
 * @example
 * const report = await auditDatabase(database);
 * if (report.leaks > 0) process.exitCode = 1;
 */
export async function auditDatabase(database: Database): Promise<AuditReport> {
  const db = database.db as AnyDb;
  const { rows: tables } = await sql<{ schema: string; table: string }>`
    SELECT n.nspname AS schema, c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname IN (${database.schema}, ${database.adminSchema}) AND c.relkind IN ('r', 'p')
      AND NOT c.relispartition
    ORDER BY 1, 2`.execute(db);
  const report: AuditReport = { tables: [], leaks: 0 };
  for (const { schema, table } of tables) {
    const audit = await auditTable(db, schema, table);
    report.leaks += audit.leaks.email + audit.leaks.phone + audit.leaks.card;
    report.tables.push(audit);
  }
  return report;
}

async function auditTable(db: AnyDb, schema: string, table: string): Promise<TableAudit> {
  const ref = sql.table(`${schema}.${table}`);
  const { rows: columns } = await sql<{ name: string; type: string }>`
    SELECT column_name AS name, data_type AS type FROM information_schema.columns
    WHERE table_schema = ${schema} AND table_name = ${table} ORDER BY ordinal_position`.execute(db);
  const timeColumn = columns.find((c) => c.name === 'created_at' || c.name === 'linked_at')?.name;
  const { rows: stats } = await sql<{ rows: number; oldest: Date | null }>`
    SELECT count(*)::bigint AS rows, ${timeColumn ? sql`min(${sql.ref(timeColumn)})` : sql`NULL::timestamptz`} AS oldest
    FROM ${ref}`.execute(db);
  const freeText = columns
    .filter((c) => c.type === 'jsonb' || (c.type === 'text' && !STRUCTURED.test(c.name)))
    .map((c) => c.name);
  const audit: TableAudit = {
    schema,
    table,
    rows: Number(stats[0]?.rows ?? 0),
    oldest: stats[0]?.oldest ? new Date(stats[0].oldest) : null,
    freeTextColumns: freeText,
    redactions: emptyRedactionCounts(),
    leaks: { email: 0, phone: 0, card: 0 },
  };
  for (const column of freeText) {
    const type = columns.find((c) => c.name === column)!.type;
    const query =
      type === 'jsonb'
        ? sql<{ v: string }>`SELECT s #>> '{}' AS v FROM ${ref},
            jsonb_path_query(${sql.ref(column)}, 'strict $.** ? (@.type() == "string")') AS s LIMIT ${MAX_VALUES}`
        : sql<{
            v: string;
          }>`SELECT ${sql.ref(column)} AS v FROM ${ref} WHERE ${sql.ref(column)} IS NOT NULL LIMIT ${MAX_VALUES}`;
    const { rows } = await query.execute(db);
    for (const { v } of rows) inspect(v, audit);
  }
  return audit;
}

function inspect(value: string, audit: TableAudit): void {
  for (const match of value.matchAll(PLACEHOLDER)) audit.redactions[match[1] as keyof RedactionCounts] += 1;
  const found = redactText(value, { maxLength: 0 }).counts;
  audit.leaks.email += found.email;
  audit.leaks.phone += found.phone;
  audit.leaks.card += found.card;
}
