import { sql } from 'kysely';
import pg from 'pg';
import {
  type AttemptPhaseRecord,
  isTelemetryEvent,
  type ProviderCallRecord,
  type TelemetryEvent,
  type TelemetryRecord,
} from '../src/domain/index.js';
import { loadPrices, PriceBook, pricesSql } from '../src/prices/index.js';
import { copyRows } from '../src/storage/write-transaction.js';
import { attemptPatches } from '../src/store/attempt-patches.js';
import { ATTEMPT_ROW } from '../src/store/attempt-row.js';
import { writeTables } from '../src/store/attempt-statements.js';
import { EVENT_ROW } from '../src/store/event-rows.js';
import { ATTEMPT_TOTALS } from '../src/store/generation-rows.js';
import { createTripmeter } from '../src/store/index.js';
import { newAnatomyRows, priceCalls, totalsCells } from '../src/store/new-anatomy.js';
import { newAttemptRow, newEventRow } from '../src/store/new-requests.js';
import { type AttemptHandle, createTracker, type Sink } from '../src/tracker/index.js';
import { BENCH_URL, benchDatabase, fmt, measured, median } from './support.js';

/** One attempt of the app, with the anatomy the issue's bench asks for: 2 calls and 4 phases. */
function runAttempt(tracker: ReturnType<typeof createTracker>, i: number, t0: number) {
  const attempt: AttemptHandle = tracker.startAttempt({
    requestId: `an-${i}`,
    anonSessionId: crypto.randomUUID(),
    provider: 'gemini',
    model: 'gemini-3-pro-preview',
  });
  attempt.phase('queue_wait', t0, 800);
  attempt.providerCall({
    provider: 'gemini',
    model: 'gemini-3-pro-preview',
    status: 'failed',
    errorCode: 'GEMINI_TIMEOUT',
    durationMs: 30_000,
    inputTokens: 1_200,
  });
  attempt.providerCall({
    provider: 'openai',
    model: 'gpt-5.4',
    status: 'success',
    durationMs: 8_000,
    ttftMs: 600,
    inputTokens: 1_000,
    cachedInputTokens: 200,
    outputTokens: 800,
    retryReason: 'fallback',
  });
  attempt.phase('provider_call', t0 + 800, 38_000);
  attempt.phase('parse', t0 + 38_800, 300);
  attempt.phase('persist', t0 + 39_100, 900);
  attempt.succeed({ tripId: `t-${i}` });
}

const PER_ATTEMPT = 9; // 1 attempt row, 2 events, 2 calls, 4 phases

async function capture(n: number): Promise<TelemetryRecord[]> {
  const records: TelemetryRecord[] = [];
  const sink: Sink = {
    async write(batch) {
      records.push(...batch);
      return { written: batch.length, duplicates: 0 };
    },
  };
  const tracker = createTracker({ sink, maxQueue: 10 * n + 10, batchSize: 5_000 });
  const t0 = Date.now() - 60_000;
  for (let i = 0; i < n; i++) runAttempt(tracker, i, t0);
  await tracker.shutdown(60_000);
  return records;
}

/** Starts a phase from the same state: no dirty pages or WAL of an earlier phase to flush. */
async function checkpoint(): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  const client = new pg.Client({ connectionString: BENCH_URL });
  await client.connect();
  await client.query('CHECKPOINT');
  await client.end();
}

/**
 * Baseline: one raw COPY per table, in one transaction, of exactly the rows the writer stores
 * (calls priced, attempts with their totals), all built before the clock starts.
 */
async function timeCopy(n: number) {
  const records = await capture(n);
  const events = records.filter(isTelemetryEvent) as TelemetryEvent[];
  const calls = records.filter(
    (r) => !isTelemetryEvent(r) && r.kind === 'provider_call',
  ) as ProviderCallRecord[];
  const phases = records.filter(
    (r) => !isTelemetryEvent(r) && r.kind === 'attempt_phase',
  ) as AttemptPhaseRecord[];
  const db = await benchDatabase('ancopy');
  await loadPrices(db);
  const book = new PriceBook((await pricesSql(`${db.schema}.model_prices`).execute(db.db)).rows);
  const patches = attemptPatches(events);
  const byRequest = new Map(patches.map((p) => [p.request_id, p]));
  const none = new Map<string, string>();
  const { costs, totals } = priceCalls(calls, book);
  const t = writeTables(db.schema, `${db.schema}.identity_links`);
  const tables = [
    {
      table: t.attemptsName,
      names: [...ATTEMPT_ROW.names, ...ATTEMPT_TOTALS.names],
      rows: patches.map((p) => [...newAttemptRow(p, none), ...totalsCells(totals.get(p.request_id))]),
    },
    {
      table: t.eventsName,
      names: EVENT_ROW.names,
      rows: events.map((e) => newEventRow(e, byRequest.get(e.requestId)!, none)),
    },
    ...newAnatomyRows(t, { calls, phases }, costs, byRequest, none).map((b) => ({
      table: b.table,
      names: b.shape.names,
      rows: [...b.rows],
    })),
  ];
  const pool = new pg.Pool({ connectionString: BENCH_URL, max: 1 });
  const client = await pool.connect();
  try {
    await checkpoint();
    return await measured(async () => {
      await client.query('BEGIN');
      for (const table of tables) await copyRows(client, table.table, table.names, table.rows);
      await client.query('COMMIT');
    });
  } finally {
    client.release();
    await pool.end();
    await db.drop();
  }
}

/** Ours: `n` attempts with their anatomy through the tracker and its batched writer. */
async function timeWriter(n: number) {
  const db = await benchDatabase('anwriter');
  try {
    await loadPrices(db);
    await checkpoint();
    const tracker = createTripmeter({ database: db, maxQueue: 10 * n + 10 });
    const t0 = Date.now() - 60_000;
    const phase = await measured(async () => {
      for (let i = 0; i < n; i++) runAttempt(tracker, i, t0);
      await tracker.shutdown(300_000);
    });
    const { written } = tracker.stats();
    if (written !== 8 * n) throw new Error(`writer wrote ${written} records, expected ${8 * n}`);
    const [unpriced] = (
      await sql<{
        n: number;
      }>`SELECT count(*)::integer AS n FROM ${sql.table(`${db.schema}.trip_creation_attempts`)}
        WHERE cost_usd IS NULL OR call_count <> 2`.execute(db.db)
    ).rows;
    if (unpriced?.n !== 0) throw new Error(`${unpriced?.n} attempts without their totals`);
    return phase;
  } finally {
    await db.drop();
  }
}

/** Median µs per call of `op` over `samples` samples of `perSample` calls, after a warm-up. */
async function perCall(op: (i: number) => void, between: () => Promise<unknown>) {
  const costs: number[] = [];
  let i = 0;
  for (let s = 0; s < 350; s++) {
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < 200; k++) op(i++);
    const t1 = process.hrtime.bigint();
    if (s >= 50) costs.push(Number(t1 - t0) / 200 / 1000);
    await between();
  }
  return median(costs);
}

const SIZES = (process.env.TRIPMETER_BENCH_ANATOMY_SIZES ?? '20000,100000').split(',').map(Number);
const ROUNDS = Number(process.env.TRIPMETER_BENCH_ANATOMY_ROUNDS ?? 3);

/**
 * The generation anatomy's write cost: attempts with 2 provider calls and 4 phases each through
 * the tracker and its batched writer (priced at write time, totals kept), beside a raw COPY of
 * the same rows; and the hot path of `providerCall` beside that of `startAttempt`.
 */
export default async function benchAnatomy() {
  const rows: string[][] = [];
  await timeCopy(2_000);
  await timeWriter(2_000);
  for (const n of SIZES) {
    const copies: number[] = [];
    const writers: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      copies.push((await timeCopy(n)).ms);
      writers.push((await timeWriter(n)).ms);
    }
    const total = n * PER_ATTEMPT;
    const copyRate = total / (median(copies) / 1000);
    const writerRate = total / (median(writers) / 1000);
    rows.push(
      [
        `${fmt(n)} attempts: raw COPY of the same ${fmt(total)} rows (baseline)`,
        `${fmt(copyRate)} rows/s`,
        '1.00×',
      ],
      [
        `${fmt(n)} attempts: tracker + batched writer, 2 calls + 4 phases per attempt (goal ≥ 0.8×)`,
        `${fmt(writerRate)} rows/s`,
        `${(writerRate / copyRate).toFixed(2)}×`,
      ],
    );
  }
  const db = await benchDatabase('anhot');
  const tracker = createTripmeter({ database: db, maxQueue: 2_000_000 });
  const handle = tracker.resumeAttempt('hot-anatomy');
  const start = await perCall(
    (i) => {
      tracker.startAttempt({ requestId: `hs-${i}`, anonSessionId: '5b0f3c2e-8f1a-4c1e-9d2b-3a4b5c6d7e8f' });
    },
    () => tracker.flush(),
  );
  const call = await perCall(
    () => {
      handle.providerCall({
        provider: 'openai',
        model: 'gpt-5.4',
        status: 'success',
        durationMs: 8_000,
        inputTokens: 1_000,
        outputTokens: 800,
      });
    },
    () => tracker.flush(),
  );
  await tracker.shutdown(60_000);
  await db.drop();
  rows.push(
    ['hot path: startAttempt()', `${fmt(start, 2)} µs`, '1.00×'],
    ['hot path: attempt.providerCall() (goal ≤ 2×)', `${fmt(call, 2)} µs`, `${(call / start).toFixed(2)}×`],
  );
  return { title: `Generation anatomy: writer and hot path, median of ${ROUNDS} rounds`, rows };
}
