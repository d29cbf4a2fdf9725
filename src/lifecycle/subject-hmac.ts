import { createHmac, randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';

/** The kind of subject a deletion targets. */
export type SubjectKind = 'user' | 'anon';

/**
 * The receipt key of a subject: hex HMAC-SHA256 of `<kind>:<id>` under the server secret. The
 * same subject and secret always give the same value, so an operator can find the receipts of a
 * subject without the receipts holding its id.
 *
 * @example
 * subjectHmac(secret, 'user', '0190a5c4-…') // '3f9c…' (64 hex characters)
 */
export function subjectHmac(secret: string, kind: SubjectKind, id: string): string {
  return createHmac('sha256', secret).update(`${kind}:${id.toLowerCase()}`).digest('hex');
}

const SECRET_NAME = 'subject_hmac';

/**
 * The receipt HMAC secret kept in `<schema>.server_secrets`, created (32 random bytes) on first
 * use, so receipts stay comparable across restarts when `TRIPMETER_SECRET` is not set.
 */
// biome-ignore lint/suspicious/noExplicitAny: raw SQL on a connection or inside a transaction
export async function storedSubjectSecret(db: Kysely<any>, schema: string): Promise<string> {
  const table = sql.table(`${schema}.server_secrets`);
  await sql`INSERT INTO ${table} (name, secret) VALUES (${SECRET_NAME}, ${randomBytes(32).toString('base64url')})
    ON CONFLICT (name) DO NOTHING`.execute(db);
  const { rows } = await sql<{ secret: string }>`
    SELECT secret FROM ${table} WHERE name = ${SECRET_NAME}`.execute(db);
  const secret = rows[0]?.secret;
  if (secret === undefined) throw new Error('server_secrets: the subject_hmac secret could not be read');
  return secret;
}
