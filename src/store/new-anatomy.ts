import { type AttemptPhaseRecord, type ProviderCallRecord, usdText } from '../domain/index.js';
import type { CallCost, PriceBook } from '../prices/index.js';
import type { CopyRow } from '../storage/index.js';
import type { AttemptPatch } from './attempt-row.js';
import type { WriteTables } from './attempt-statements.js';
import { type BulkRows, bulkRows } from './bulk-insert.js';
import {
  ATTEMPT_TOTALS,
  type AttemptTotals,
  callRow,
  PHASE_ROW,
  PRICED_CALL_ROW,
  phaseRow,
  totalsRow,
} from './generation-rows.js';
import { fromNewAttempt, type LinkedUsers } from './linked-users.js';

/**
 * The calls and phases of new requests whose whole anatomy is in this batch: their attempt is
 * written by this batch and nothing of them is stored (the caller probed, under their request
 * locks). Their rows are final in JavaScript, so they are bulk-written with the attempt rows.
 */
export interface NewAnatomy {
  calls: ProviderCallRecord[];
  phases: AttemptPhaseRecord[];
}

/** Running totals of one attempt's calls; `null` sums until a value is seen (SQL's `sum`). */
interface Tally {
  calls: number;
  input: number | null;
  output: number | null;
  cached: number | null;
  reasoning: number | null;
  picoUsd: bigint | null;
  unpriced: number;
}

const add = (sum: number | null, value: number | undefined) =>
  value === undefined ? sum : (sum ?? 0) + value;

/**
 * Each call's cost (in `calls` order) and each attempt's totals, as `syncAnatomy` would compute
 * them from the stored calls: here they are all the attempt's calls.
 */
export function priceCalls(
  calls: readonly ProviderCallRecord[],
  book: PriceBook,
): { costs: CallCost[]; totals: Map<string, AttemptTotals> } {
  const tallies = new Map<string, Tally>();
  const costs = calls.map((call) => {
    const cost = book.price(call);
    let t = tallies.get(call.requestId);
    if (!t) {
      t = { calls: 0, input: null, output: null, cached: null, reasoning: null, picoUsd: null, unpriced: 0 };
      tallies.set(call.requestId, t);
    }
    t.calls++;
    t.input = add(t.input, call.inputTokens);
    t.output = add(t.output, call.outputTokens);
    t.cached = add(t.cached, call.cachedInputTokens);
    t.reasoning = add(t.reasoning, call.reasoningTokens);
    if (cost.picoUsd === null) t.unpriced++;
    else t.picoUsd = (t.picoUsd ?? 0n) + cost.picoUsd;
    return cost;
  });
  const totals = new Map<string, AttemptTotals>();
  for (const [requestId, t] of tallies) {
    totals.set(requestId, {
      call_count: t.calls,
      input_tokens: t.input,
      output_tokens: t.output,
      cached_input_tokens: t.cached,
      reasoning_tokens: t.reasoning,
      cost_usd: t.picoUsd === null ? null : usdText(t.picoUsd),
      unpriced_calls: t.unpriced,
    });
  }
  return { costs, totals };
}

/** The totals cells of an attempt without calls: NULL, as the attempt row is before its first call. */
const NO_TOTALS: CopyRow = ATTEMPT_TOTALS.names.map(() => null);

/** An attempt's totals cells, or NULLs when it has no call. */
export const totalsCells = (totals: AttemptTotals | undefined): CopyRow =>
  totals === undefined ? NO_TOTALS : totalsRow(totals);

/** The call and phase rows of new requests (`byRequest` holds their patches), final and priced. */
export function newAnatomyRows(
  t: WriteTables,
  anatomy: NewAnatomy,
  costs: readonly CallCost[],
  byRequest: ReadonlyMap<string, AttemptPatch>,
  links: LinkedUsers,
): BulkRows[] {
  const callCells = (call: ProviderCallRecord, k: number): CopyRow => {
    const cost = costs[k]!;
    const row = callRow(call, fromNewAttempt(byRequest.get(call.requestId)!, links, call.anonSessionId));
    return [...row, cost.picoUsd === null ? null : usdText(cost.picoUsd), cost.version];
  };
  return [
    bulkRows(t.callsName, PRICED_CALL_ROW, anatomy.calls, callCells),
    bulkRows(t.phasesName, PHASE_ROW, anatomy.phases, (phase) =>
      phaseRow(phase, fromNewAttempt(byRequest.get(phase.requestId)!, links, phase.anonSessionId)),
    ),
  ];
}
