import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One forward-only migration file, `NNNN_name.sql`. */
export interface MigrationFile {
  version: number;
  name: string;
  /** The SQL with `{{schema}}` / `{{admin_schema}}` placeholders. */
  template: string;
  checksum: string;
}

/** The folder holding the numbered SQL files (the package's `migrations/`). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Reads the migration files in version order; duplicate versions are an error (gaps are allowed). */
export function loadMigrationFiles(dir = MIGRATIONS_DIR): MigrationFile[] {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort();
  let previous = 0;
  return files.map((file) => {
    const match = FILE_PATTERN.exec(file);
    if (!match) throw new Error(`migration file ${file} is not named NNNN_name.sql`);
    const version = Number(match[1]);
    if (version <= previous) throw new Error(`migration ${file} repeats version ${version}`);
    previous = version;
    const template = readFileSync(`${dir}/${file}`, 'utf8');
    const checksum = createHash('sha256').update(template).digest('hex').slice(0, 16);
    return { version, name: match[2]!, template, checksum };
  });
}

/** A schema name we accept: a lower-case identifier that needs no quoting. */
export const SCHEMA_NAME_PATTERN = /^[a-z_][a-z0-9_]{0,50}$/;

/** Fills the schema placeholders of a migration template. */
export function renderMigration(template: string, schema: string, adminSchema: string): string {
  if (!SCHEMA_NAME_PATTERN.test(schema)) throw new Error(`invalid schema name ${JSON.stringify(schema)}`);
  return template.replaceAll('{{admin_schema}}', adminSchema).replaceAll('{{schema}}', schema);
}

/** Creates the schemas and the migrations table; safe to run any number of times. */
export function bootstrapSql(schema: string, adminSchema: string): string {
  return renderMigration(
    `CREATE SCHEMA IF NOT EXISTS {{schema}};
CREATE SCHEMA IF NOT EXISTS {{admin_schema}};
CREATE TABLE IF NOT EXISTS {{schema}}.tripmeter_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);
`,
    schema,
    adminSchema,
  );
}

/** The statement that records a migration as applied, in its own transaction. */
export function recordSql(schema: string, migration: MigrationFile): string {
  return `INSERT INTO ${schema}.tripmeter_migrations (version, name, checksum) VALUES (${migration.version}, '${migration.name}', '${migration.checksum}');\n`;
}
