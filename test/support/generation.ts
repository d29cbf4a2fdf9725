import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../src/storage/index.js';

/**
 * Hand-made generation rows for the read side (rollups, metrics): attempts with their provider
 * calls and phases inserted straight into the tables of migration 0011, with the attempt totals
 * the writer keeps (calls, tokens, cost of priced calls, unpriced count). The one place the tests
 * of the read side make such rows, so they can switch to the real writer in one edit.
 */
export interface GenCall {
  /** Start of the call after the attempt's start (default 1 s × index). */
  offsetMs?: number;
  provider?: string;
  model?: string;
  responseModel?: string | null;
  status?: 'success' | 'failed';
  retryReason?: string | null;
  inputTokens?: number | null;
  outputTokens?: number | null;
  cachedInputTokens?: number | null;
  reasoningTokens?: number | null;
  /** USD as a decimal string (exact), `null` for an unpriced call. */
  costUsd?: string | null;
  ttftMs?: number | null;
  durationMs?: number | null;
}

/** A phase of an attempt. */
export interface GenPhase {
  phase: string;
  offsetMs?: number;
  durationMs: number;
}

/** One attempt with its calls and phases (defaults: success, openai/gpt-5.4, classic_v1, app). */
export interface GenAttempt {
  at: Date;
  status?: 'success' | 'failed' | 'pending';
  durationMs?: number | null;
  provider?: string;
  model?: string;
  version?: string;
  flow?: string | null;
  source?: string;
  calls?: GenCall[];
  phases?: GenPhase[];
}

const PICO = 1_000_000_000_000n;

/** A decimal string in pico-USD (12 decimals), exactly. */
export function toPico(usd: string): bigint {
  const negative = usd.startsWith('-');
  const [whole = '0', fraction = ''] = usd.replace('-', '').split('.');
  const value = BigInt(whole) * PICO + BigInt((fraction + '0'.repeat(12)).slice(0, 12));
  return negative ? -value : value;
}

/** Pico-USD as a decimal string with 12 decimals. */
export function fromPico(pico: bigint): string {
  const sign = pico < 0n ? '-' : '';
  const abs = pico < 0n ? -pico : pico;
  return `${sign}${abs / PICO}.${(abs % PICO).toString().padStart(12, '0')}`;
}

/** Inserts the attempts, their calls and phases (three statements). Returns their request ids. */
export async function seedGeneration(database: Database, attempts: GenAttempt[]): Promise<string[]> {
  const attemptRows: Record<string, unknown>[] = [];
  const callRows: Record<string, unknown>[] = [];
  const phaseRows: Record<string, unknown>[] = [];
  const ids: string[] = [];
  for (const a of attempts) {
    const requestId = randomUUID();
    ids.push(requestId);
    const calls = a.calls ?? [];
    const provider = a.provider ?? 'openai';
    const model = a.model ?? 'gpt-5.4';
    const version = a.version ?? 'classic_v1';
    const flow = a.flow === undefined ? 'classic' : a.flow;
    const source = a.source ?? 'app';
    let cost = 0n;
    let priced = 0;
    const sum = (pick: (c: GenCall) => number | null | undefined) =>
      calls.reduce((n, c) => n + (pick(c) ?? 0), 0);
    calls.forEach((c, i) => {
      const costUsd = c.costUsd === undefined ? '0.010000000000' : c.costUsd;
      if (costUsd !== null) {
        cost += toPico(costUsd);
        priced++;
      }
      callRows.push({
        id: randomUUID(),
        created_at: new Date(a.at.getTime() + (c.offsetMs ?? 1000 * i)).toISOString(),
        request_id: requestId,
        call_index: i,
        provider: c.provider ?? provider,
        model: c.model ?? model,
        response_model: c.responseModel === undefined ? (c.model ?? model) : c.responseModel,
        status: c.status ?? 'success',
        retry_reason: c.retryReason ?? null,
        duration_ms: c.durationMs === undefined ? 2000 : c.durationMs,
        ttft_ms: c.ttftMs === undefined ? 400 : c.ttftMs,
        input_tokens: c.inputTokens === undefined ? 1000 : c.inputTokens,
        output_tokens: c.outputTokens === undefined ? 500 : c.outputTokens,
        cached_input_tokens: c.cachedInputTokens ?? null,
        reasoning_tokens: c.reasoningTokens ?? null,
        cost_usd: costUsd,
        prompt_contract_version: version,
        flow,
        source,
      });
    });
    for (const p of a.phases ?? []) {
      phaseRows.push({
        id: randomUUID(),
        created_at: new Date(a.at.getTime() + (p.offsetMs ?? 0)).toISOString(),
        request_id: requestId,
        phase: p.phase,
        duration_ms: p.durationMs,
        source,
      });
    }
    const status = a.status ?? 'success';
    attemptRows.push({
      id: randomUUID(),
      created_at: a.at.toISOString(),
      request_id: requestId,
      status,
      duration_ms: a.durationMs === undefined ? (status === 'pending' ? null : 5000) : a.durationMs,
      provider,
      model,
      prompt_contract_version: version,
      flow,
      source,
      error_code: status === 'failed' ? 'OPENAI_REQUEST_TIMEOUT' : null,
      failure_kind: status === 'failed' ? 'timeout' : null,
      call_count: calls.length,
      input_tokens: sum((c) => (c.inputTokens === undefined ? 1000 : c.inputTokens)),
      output_tokens: sum((c) => (c.outputTokens === undefined ? 500 : c.outputTokens)),
      cached_input_tokens: sum((c) => c.cachedInputTokens),
      reasoning_tokens: sum((c) => c.reasoningTokens),
      cost_usd: priced > 0 ? fromPico(cost) : null,
      unpriced_calls: calls.length - priced,
    });
  }
  const t = (name: string) => sql.table(`${database.schema}.${name}`);
  if (attemptRows.length > 0)
    await sql`
      INSERT INTO ${t('trip_creation_attempts')} (id, created_at, request_id, status, duration_ms, provider, model,
        prompt_contract_version, flow, source, error_code, failure_kind, call_count, input_tokens, output_tokens,
        cached_input_tokens, reasoning_tokens, cost_usd, unpriced_calls)
      SELECT r.id::uuid, r.created_at::timestamptz, r.request_id, r.status, r.duration_ms, r.provider, r.model,
        r.prompt_contract_version, r.flow, r.source, r.error_code, r.failure_kind, r.call_count, r.input_tokens,
        r.output_tokens, r.cached_input_tokens, r.reasoning_tokens, r.cost_usd::numeric, r.unpriced_calls
      FROM jsonb_to_recordset(${JSON.stringify(attemptRows)}::jsonb) AS r(id text, created_at text, request_id text,
        status text, duration_ms integer, provider text, model text, prompt_contract_version text, flow text,
        source text, error_code text, failure_kind text, call_count integer, input_tokens bigint,
        output_tokens bigint, cached_input_tokens bigint, reasoning_tokens bigint, cost_usd text,
        unpriced_calls integer)`.execute(database.db);
  if (callRows.length > 0)
    await sql`
      INSERT INTO ${t('trip_creation_provider_calls')} (id, created_at, request_id, call_index, provider, model,
        response_model, status, retry_reason, duration_ms, ttft_ms, input_tokens, output_tokens,
        cached_input_tokens, reasoning_tokens, cost_usd, prompt_contract_version, flow, source)
      SELECT r.id::uuid, r.created_at::timestamptz, r.request_id, r.call_index, r.provider, r.model,
        r.response_model, r.status, r.retry_reason, r.duration_ms, r.ttft_ms, r.input_tokens, r.output_tokens,
        r.cached_input_tokens, r.reasoning_tokens, r.cost_usd::numeric, r.prompt_contract_version, r.flow, r.source
      FROM jsonb_to_recordset(${JSON.stringify(callRows)}::jsonb) AS r(id text, created_at text, request_id text,
        call_index integer, provider text, model text, response_model text, status text, retry_reason text,
        duration_ms integer, ttft_ms integer, input_tokens integer, output_tokens integer,
        cached_input_tokens integer, reasoning_tokens integer, cost_usd text, prompt_contract_version text,
        flow text, source text)`.execute(database.db);
  if (phaseRows.length > 0)
    await sql`
      INSERT INTO ${t('trip_creation_attempt_phases')} (id, created_at, request_id, phase, duration_ms, source)
      SELECT r.id::uuid, r.created_at::timestamptz, r.request_id, r.phase, r.duration_ms, r.source
      FROM jsonb_to_recordset(${JSON.stringify(phaseRows)}::jsonb) AS r(id text, created_at text, request_id text,
        phase text, duration_ms integer, source text)`.execute(database.db);
  return ids;
}
