import { sql } from 'kysely';
import { DEFAULT_PROMPT_CONTRACT_VERSION } from '../domain/index.js';
import type { WriteTransaction } from '../storage/index.js';
import type { AttemptPatch } from './attempt-row.js';
import type { WriteTables } from './attempt-statements.js';
import { idList } from './column-sql.js';

/** Users of already linked anonymous ids, by anonymous id. */
export type LinkedUsers = ReadonlyMap<string, string>;

/**
 * `SELECT anon_session_id, user_id` of the linked anonymous ids among `anons`. A join, not
 * `= ANY(…)`: the index probes each id as it comes instead of sorting them all first.
 */
export const linksOf = (t: WriteTables, anons: string[]) => sql`
  SELECT l.anon_session_id, l.user_id
  FROM unnest(${idList(anons)}) AS a JOIN ${t.links} AS l ON l.anon_session_id = a AND l.outcome = 'linked'`;

/**
 * The users the given anonymous ids are linked to. Read after the subject locks, so a link
 * committed while this batch waited for them is seen.
 */
export async function linkedUsers(
  tx: WriteTransaction,
  t: WriteTables,
  anons: string[],
): Promise<LinkedUsers> {
  if (anons.length === 0) return new Map();
  const rows = await tx.query(sql<{ anon_session_id: string; user_id: string }>`
    SELECT anon_session_id, user_id::text AS user_id FROM (${linksOf(t, anons)}) AS l`);
  return new Map(rows.map((row) => [row.anon_session_id, row.user_id]));
}

/** The user an attempt row of a new request gets: its own, else its anonymous id's link. */
export const attemptUser = (patch: AttemptPatch, links: LinkedUsers) =>
  patch.user_id ?? (patch.anon_session_id === null ? null : (links.get(patch.anon_session_id) ?? null));

/**
 * What a row of a new request (event, call, phase) takes from the attempt row this batch writes
 * for it, as the SQL path's statements give it: the attempt's user, else the link of the row's own
 * (else the attempt's) anonymous id; that anonymous id; the attempt's contract version (the
 * default where it has none) and flow. The row's own values win where the row encoder says so.
 */
export function fromNewAttempt(patch: AttemptPatch, links: LinkedUsers, ownAnon: string | undefined) {
  const anon = ownAnon ?? patch.anon_session_id;
  return {
    userId: attemptUser(patch, links) ?? (anon === null ? null : (links.get(anon) ?? null)),
    anonSessionId: anon,
    promptContractVersion: patch.prompt_contract_version ?? DEFAULT_PROMPT_CONTRACT_VERSION,
    flow: patch.flow,
  };
}
