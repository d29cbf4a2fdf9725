import { sql } from 'kysely';
import type { AttemptPhaseRecord, ProviderCallRecord } from '../domain/index.js';
import { costSql, priceJoin } from '../prices/index.js';
import type { WriteTransaction } from '../storage/index.js';
import type { WriteTables } from './attempt-statements.js';
import { idList } from './column-sql.js';
import { CALL_ROW, callRow, OWN_ANATOMY, PHASE_ROW, phaseRow } from './generation-rows.js';

/** An inserted call's key parts, as the statement returns them. */
export interface InsertedCall {
  request_id: string;
  call_index: number;
}

/** An inserted phase's key parts. */
export interface InsertedPhase {
  request_id: string;
  phase: string;
}

/** The attempt's identifiers of a request (`LIMIT 1` index probe), joined as `a`. */
const attemptOf = (t: WriteTables, alias: string) => sql`LEFT JOIN LATERAL (
    SELECT x.user_id, x.anon_session_id, x.prompt_contract_version, x.flow FROM ${t.attempts} AS x
    WHERE x.request_id = ${sql.ref(`${alias}.request_id`)} LIMIT 1
  ) AS a ON true`;

/** The user of a row: its own, its attempt's, else the link of its (or its attempt's) anonymous id. */
const userOf = (t: WriteTables, alias: string) => sql`coalesce(${sql.ref(`${alias}.user_id`)}, a.user_id,
    (SELECT l.user_id FROM ${t.links} AS l WHERE l.outcome = 'linked'
      AND l.anon_session_id = coalesce(${sql.ref(`${alias}.anon_session_id`)}, a.anon_session_id)))`;

/**
 * Inserts the calls not yet stored (by request id + call index, one index probe each), under the
 * request locks the caller holds: identifiers and context missing on a call come from its attempt
 * row when it exists, the cost from `model_prices` (NULL when unpriced). `calls` hold one record
 * per key.
 */
export async function insertCalls(
  tx: WriteTransaction,
  t: WriteTables,
  calls: ProviderCallRecord[],
): Promise<InsertedCall[]> {
  if (calls.length === 0) return [];
  return tx.query(sql<InsertedCall>`
    INSERT INTO ${t.calls} (${CALL_ROW.columnList()}, cost_usd, price_version)
    SELECT ${CALL_ROW.selectList('i', {
      user_id: userOf(t, 'i'),
      anon_session_id: sql`coalesce(i.anon_session_id, a.anon_session_id)`,
      prompt_contract_version: sql`coalesce(a.prompt_contract_version, i.prompt_contract_version)`,
      flow: sql`coalesce(a.flow, i.flow)`,
    })}, ${costSql('i')}, price.version
    FROM ${CALL_ROW.unnest(
      calls.map((c) => callRow(c, OWN_ANATOMY)),
      'i',
    )}
    ${attemptOf(t, 'i')}
    ${priceJoin(t.pricesName, 'i')}
    WHERE NOT EXISTS (SELECT 1 FROM ${t.calls} AS c
      WHERE c.request_id = i.request_id AND c.call_index = i.call_index)
    RETURNING request_id, call_index`);
}

/** Inserts the phases not yet stored (by request id + phase), like {@link insertCalls}. */
export async function insertPhases(
  tx: WriteTransaction,
  t: WriteTables,
  phases: AttemptPhaseRecord[],
): Promise<InsertedPhase[]> {
  if (phases.length === 0) return [];
  return tx.query(sql<InsertedPhase>`
    INSERT INTO ${t.phases} (${PHASE_ROW.columnList()})
    SELECT ${PHASE_ROW.selectList('i', {
      user_id: userOf(t, 'i'),
      anon_session_id: sql`coalesce(i.anon_session_id, a.anon_session_id)`,
    })}
    FROM ${PHASE_ROW.unnest(
      phases.map((p) => phaseRow(p, OWN_ANATOMY)),
      'i',
    )}
    ${attemptOf(t, 'i')}
    WHERE NOT EXISTS (SELECT 1 FROM ${t.phases} AS x WHERE x.request_id = i.request_id AND x.phase = i.phase)
    RETURNING request_id, phase`);
}

/**
 * Brings the anatomy of `requestIds` in line with their attempt rows, in one statement: calls and
 * phases stored before their attempt get its user, anonymous id (and calls its contract version
 * and flow, which win over the call's own, as when the call is inserted after its attempt), and each attempt's totals are recomputed from all its stored calls (so any arrival
 * order and any redelivery give the same totals). Attempts without calls keep NULL totals.
 */
export async function syncAnatomy(tx: WriteTransaction, t: WriteTables, requestIds: string[]): Promise<void> {
  if (requestIds.length === 0) return;
  const ids = idList(requestIds);
  await tx.query(sql`
    WITH r AS MATERIALIZED (SELECT DISTINCT unnest(${ids}) AS request_id),
    att AS MATERIALIZED (
      SELECT a.request_id, a.user_id, a.anon_session_id, a.prompt_contract_version, a.flow
      FROM r CROSS JOIN LATERAL (SELECT x.request_id, x.user_id, x.anon_session_id,
        x.prompt_contract_version, x.flow FROM ${t.attempts} AS x WHERE x.request_id = r.request_id LIMIT 1) AS a
    ),
    bc AS (
      UPDATE ${t.calls} AS c SET
        user_id = coalesce(c.user_id, a.user_id),
        anon_session_id = coalesce(c.anon_session_id, a.anon_session_id),
        prompt_contract_version = coalesce(a.prompt_contract_version, c.prompt_contract_version),
        flow = coalesce(a.flow, c.flow)
      FROM att AS a
      WHERE c.request_id = a.request_id AND c.request_id = ANY(${ids})
        AND ((c.user_id IS NULL AND a.user_id IS NOT NULL)
          OR (c.anon_session_id IS NULL AND a.anon_session_id IS NOT NULL)
          OR (a.prompt_contract_version IS DISTINCT FROM c.prompt_contract_version AND a.prompt_contract_version IS NOT NULL)
          OR (a.flow IS DISTINCT FROM c.flow AND a.flow IS NOT NULL))
    ),
    bp AS (
      UPDATE ${t.phases} AS p SET
        user_id = coalesce(p.user_id, a.user_id),
        anon_session_id = coalesce(p.anon_session_id, a.anon_session_id)
      FROM att AS a
      WHERE p.request_id = a.request_id AND p.request_id = ANY(${ids})
        AND ((p.user_id IS NULL AND a.user_id IS NOT NULL) OR (p.anon_session_id IS NULL AND a.anon_session_id IS NOT NULL))
    )
    UPDATE ${t.attempts} AS a SET
      call_count = s.call_count, input_tokens = s.input_tokens, output_tokens = s.output_tokens,
      cached_input_tokens = s.cached_input_tokens, reasoning_tokens = s.reasoning_tokens,
      cost_usd = s.cost_usd, unpriced_calls = s.unpriced_calls
    FROM (
      SELECT r.request_id, t.* FROM r CROSS JOIN LATERAL (
        SELECT count(*)::integer AS call_count, sum(c.input_tokens) AS input_tokens,
          sum(c.output_tokens) AS output_tokens, sum(c.cached_input_tokens) AS cached_input_tokens,
          sum(c.reasoning_tokens) AS reasoning_tokens, sum(c.cost_usd) AS cost_usd,
          count(*) FILTER (WHERE c.cost_usd IS NULL)::integer AS unpriced_calls
        FROM ${t.calls} AS c WHERE c.request_id = r.request_id HAVING count(*) > 0) AS t
    ) AS s
    WHERE a.request_id = s.request_id AND a.request_id = ANY(${ids})
      AND (a.call_count IS DISTINCT FROM s.call_count OR a.cost_usd IS DISTINCT FROM s.cost_usd
        OR a.unpriced_calls IS DISTINCT FROM s.unpriced_calls OR a.input_tokens IS DISTINCT FROM s.input_tokens
        OR a.output_tokens IS DISTINCT FROM s.output_tokens
        OR a.cached_input_tokens IS DISTINCT FROM s.cached_input_tokens
        OR a.reasoning_tokens IS DISTINCT FROM s.reasoning_tokens)`);
}
