import pg from 'pg';
import type { TelemetryEvent } from '../src/domain/index.js';
import { copyRows } from '../src/storage/write-transaction.js';
import { attemptPatches } from '../src/write/attempt-patches.js';
import { columnNames } from '../src/write/column-sql.js';
import { EVENT_COLUMNS } from '../src/write/event-rows.js';
import { createTracker, createTripmeter, type Sink } from '../src/write/index.js';
import { ATTEMPT_COLUMNS, newAttemptRow, newEventRow } from '../src/write/new-requests.js';
import { BENCH_URL, benchDatabase, fmt, median } from './support.js';

const input = {
  destinationPrompt: 'Japan, South Korea',
  options: {
    budget: 'Medium',
    pace: 'Balanced',
    roundTrip: true,
    totalDays: 15,
    travelerType: 'couple',
    notes: 'ramen, onsen',
    aiTarget: { provider: 'openai', model: 'gpt-5.4' },
  },
};

/** The app's side of `n` attempts (its ids), made before any clock starts: not the writer's work. */
function appAttempts(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    requestId: `r-${i}`,
    anonSessionId: crypto.randomUUID(),
    tripId: `t-${i}`,
  }));
}

function runAttempts(tracker: ReturnType<typeof createTracker>, attempts: ReturnType<typeof appAttempts>) {
  for (const { requestId, anonSessionId, tripId } of attempts) {
    tracker.startAttempt({ requestId, anonSessionId, input }).succeed({ tripId });
  }
}

/** The exact events the tracker produces for `n` attempts (captured by a sink that keeps them). */
async function captureEvents(n: number): Promise<TelemetryEvent[]> {
  const events: TelemetryEvent[] = [];
  const capture: Sink = {
    async write(batch) {
      events.push(...batch);
      return { written: batch.length, duplicates: 0 };
    },
  };
  const tracker = createTracker({ sink: capture, maxQueue: 2 * n + 10, batchSize: 5_000 });
  runAttempts(tracker, appAttempts(n));
  await tracker.shutdown(60_000);
  return events;
}

/** Starts a phase from the same state: no dirty pages or WAL of an earlier phase to flush. */
async function checkpoint(): Promise<void> {
  const client = new pg.Client({ connectionString: BENCH_URL });
  await client.connect();
  await client.query('CHECKPOINT');
  await client.end();
}

/** Baseline: one raw COPY per table, in one transaction, of the rows the writer stores for `n` attempts. */
async function timeCopy(n: number): Promise<number> {
  const events = await captureEvents(n);
  // The rows the writer stores (no anonymous id of the bench is linked to a user).
  const patches = attemptPatches(events);
  const byRequest = new Map(patches.map((p) => [p.request_id, p]));
  const none = new Map<string, string>();
  const attemptRows = patches.map((p) => newAttemptRow(p, none));
  const eventRows = events.map((e) => newEventRow(e, byRequest.get(e.requestId)!, none));
  const copyDb = await benchDatabase('copy');
  const pool = new pg.Pool({ connectionString: BENCH_URL, max: 1 });
  const client = await pool.connect();
  try {
    await checkpoint();
    const t = performance.now();
    await client.query('BEGIN');
    await copyRows(
      client,
      `${copyDb.schema}.trip_creation_attempts`,
      columnNames(ATTEMPT_COLUMNS),
      attemptRows,
    );
    await copyRows(client, `${copyDb.schema}.trip_creation_events`, columnNames(EVENT_COLUMNS), eventRows);
    await client.query('COMMIT');
    return performance.now() - t;
  } finally {
    client.release();
    await pool.end();
    await copyDb.drop();
  }
}

/** Ours: `n` attempts through the tracker (default batching) until `shutdown` has written them all. */
async function timeWriter(n: number): Promise<number> {
  const ourDb = await benchDatabase('writer');
  try {
    const tracker = createTripmeter({ database: ourDb, maxQueue: 2 * n + 10 });
    const attempts = appAttempts(n);
    await checkpoint();
    const t = performance.now();
    runAttempts(tracker, attempts);
    await tracker.shutdown(120_000);
    const ms = performance.now() - t;
    const { written } = tracker.stats();
    if (written !== 2 * n) throw new Error(`writer wrote ${written} events, expected ${2 * n}`);
    return ms;
  } finally {
    await ourDb.drop();
  }
}

const ROUNDS = 3;

/**
 * Writer throughput: `n` complete attempts (one attempt row and two event rows each) through the
 * tracker and its batched writer, beside a raw COPY of the same rows into the same tables. The
 * two alternate for {@link ROUNDS} rounds, each after a CHECKPOINT (so neither pays for the
 * other's dirty pages), and the medians are compared.
 */
export async function benchWriter(n = 30_000) {
  const rows = n * 3;
  const copyMs: number[] = [];
  const writerMs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    copyMs.push(await timeCopy(n));
    writerMs.push(await timeWriter(n));
  }
  const copyRate = rows / (median(copyMs) / 1000);
  const writerRate = rows / (median(writerMs) / 1000);
  return {
    title: `Writer: ${fmt(n)} attempts = ${fmt(rows)} rows (attempts + events), Postgres, median of ${ROUNDS} alternating rounds`,
    rows: [
      ['raw COPY of the same rows (baseline)', `${fmt(copyRate)} rows/s`, '1.00×'],
      [
        'tripmeter tracker + batched writer (batch 500, backlog ≤ 5,000, 2 lanes)',
        `${fmt(writerRate)} rows/s`,
        `${(writerRate / copyRate).toFixed(2)}×`,
      ],
    ],
    ratio: writerRate / copyRate,
  };
}
