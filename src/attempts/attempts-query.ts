import type { FailureKind } from '../domain/index.js';

/** The status of an attempt row. */
export type AttemptStatus = 'pending' | 'success' | 'failed';

/**
 * What the attempt list may be filtered by: the panels' filters (range, provider, model, prompt
 * contract version, flow, source) plus the row's outcome and who it belongs to. Every filter is an
 * exact match on the attempt row; unset filters add nothing.
 *
 * @example
 * const filter: AttemptsFilter = { from, to, status: 'failed', errorCode: 'OPENAI_REQUEST_TIMEOUT' };
 */
export interface AttemptsFilter {
  /** Start of the half-open range over `created_at`; undefined: from the oldest raw row. */
  from?: Date | undefined;
  to: Date;
  status?: AttemptStatus | undefined;
  errorCode?: string | undefined;
  failureKind?: FailureKind | undefined;
  provider?: string | undefined;
  model?: string | undefined;
  promptContractVersion?: string | undefined;
  flow?: string | undefined;
  source?: string | undefined;
  tripId?: string | undefined;
  anonSessionId?: string | undefined;
  userId?: string | undefined;
}

/** An attempt as the list and the detail show it: its columns and its totals, no text. */
export interface AttemptSummary {
  request_id: string;
  created_at: string;
  status: AttemptStatus;
  error_code: string | null;
  failure_kind: string | null;
  duration_ms: number | null;
  trip_id: string | null;
  user_id: string | null;
  anon_session_id: string | null;
  provider: string | null;
  model: string | null;
  prompt_contract_version: string;
  flow: string | null;
  source: string;
  /** Totals over its provider calls (null until a call is recorded). */
  calls: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cached_input_tokens: number | null;
  reasoning_tokens: number | null;
  /** Sum of the priced calls' cost in USD; null when none is priced. */
  cost_usd: number | null;
  /** Calls whose model had no price (their cost is unknown, never 0). */
  unpriced_calls: number | null;
}
