import { availableParallelism } from 'node:os';
import pg from 'pg';
import type { TelemetryEvent } from '../src/domain/index.js';
import { copyRows } from '../src/storage/write-transaction.js';
import { attemptPatches } from '../src/store/attempt-patches.js';
import { ATTEMPT_ROW } from '../src/store/attempt-row.js';
import { EVENT_ROW } from '../src/store/event-rows.js';
import { createTripmeter } from '../src/store/index.js';
import { newAttemptRow, newEventRow } from '../src/store/new-requests.js';
import { createTracker, type Sink } from '../src/tracker/index.js';
import { BENCH_URL, benchDatabase, fmt, measured, median, type PhaseCpu } from './support.js';

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
      events.push(...(batch as TelemetryEvent[]));
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
  (globalThis as { gc?: () => void }).gc?.(); // and this process's heap (when run with --expose-gc)
  const client = new pg.Client({ connectionString: BENCH_URL });
  await client.connect();
  await client.query('CHECKPOINT');
  await client.end();
}

/** Baseline: one raw COPY per table, in one transaction, of the rows the writer stores for `n` attempts. */
async function timeCopy(n: number): Promise<{ ms: number; cpu: PhaseCpu }> {
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
    return await measured(async () => {
      await client.query('BEGIN');
      await copyRows(client, `${copyDb.schema}.trip_creation_attempts`, ATTEMPT_ROW.names, attemptRows);
      await copyRows(client, `${copyDb.schema}.trip_creation_events`, EVENT_ROW.names, eventRows);
      await client.query('COMMIT');
    });
  } finally {
    client.release();
    await pool.end();
    await copyDb.drop();
  }
}

/** Ours: `n` attempts through the tracker (default batching) until `shutdown` has written them all. */
async function timeWriter(n: number): Promise<{ ms: number; cpu: PhaseCpu }> {
  const ourDb = await benchDatabase('writer');
  try {
    const tracker = createTripmeter({ database: ourDb, maxQueue: 2 * n + 10 });
    const attempts = appAttempts(n);
    await checkpoint();
    const phase = await measured(async () => {
      runAttempts(tracker, attempts);
      await tracker.shutdown(120_000);
    });
    const { written } = tracker.stats();
    if (written !== 2 * n) throw new Error(`writer wrote ${written} events, expected ${2 * n}`);
    return phase;
  } finally {
    await ourDb.drop();
  }
}

const ROUNDS = 3;
const WARM_UP = 5_000;

/** Median CPU of a phase's rounds, as text: this process's per attempt, PostgreSQL's in all. */
function cpuText(phases: { cpu: PhaseCpu }[], n: number, who: string): string {
  const own = median(phases.map((p) => p.cpu.ownMs));
  const pgMs = phases.every((p) => p.cpu.postgresMs !== undefined)
    ? median(phases.map((p) => p.cpu.postgresMs!))
    : undefined;
  const ownText = `${who} ${fmt(own)} ms (${fmt((own * 1000) / n, 1)} µs/attempt)`;
  return pgMs === undefined ? ownText : `${ownText}, PostgreSQL ${fmt(pgMs)} ms`;
}

/** Medians of one size's rounds, as table rows. */
async function sizeRows(n: number, label: string): Promise<string[][]> {
  const rows = n * 3;
  const copies: { ms: number; cpu: PhaseCpu }[] = [];
  const writers: { ms: number; cpu: PhaseCpu }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    copies.push(await timeCopy(n));
    writers.push(await timeWriter(n));
  }
  const copyMs = median(copies.map((c) => c.ms));
  const writerMs = median(writers.map((w) => w.ms));
  const copyRate = rows / (copyMs / 1000);
  const writerRate = rows / (writerMs / 1000);
  const table = [
    [`${label}: raw COPY of the same ${fmt(rows)} rows (baseline)`, `${fmt(copyRate)} rows/s`, '1.00×'],
    [
      `${label}: tripmeter tracker + batched writer (batch 500, backlog ≤ 5,000, 2 lanes)`,
      `${fmt(writerRate)} rows/s`,
      `${(writerRate / copyRate).toFixed(2)}×`,
    ],
    [`${label}: CPU of the raw COPY`, cpuText(copies, n, 'bench process'), ''],
    [`${label}: CPU of the writer`, cpuText(writers, n, 'tracker process'), ''],
  ];
  const pgMs = writers.every((w) => w.cpu.postgresMs !== undefined)
    ? median(writers.map((w) => w.cpu.postgresMs!))
    : undefined;
  if (pgMs !== undefined) {
    const cores = availableParallelism();
    const floorMs = (median(writers.map((w) => w.cpu.ownMs)) + pgMs) / cores;
    table.push([
      `${label}: the writer's floor on ${cores} cores, (tracker + PostgreSQL CPU) / ${cores}`,
      `${fmt(floorMs)} ms, at most ${fmt(rows / (floorMs / 1000))} rows/s (measured ${fmt(writerMs)} ms)`,
      `≤ ${(copyMs / floorMs).toFixed(2)}×`,
    ]);
  }
  return table;
}

/** Sizes in attempts: a burst whose rows fit in PostgreSQL's buffers, and a sustained run that does not. */
const SIZES = (process.env.TRIPMETER_BENCH_WRITER_SIZES ?? '30000,100000').split(',').map(Number);

/**
 * Writer throughput: `n` complete attempts (one attempt row and two event rows each) through the
 * tracker and its batched writer, beside a raw COPY of the same rows into the same tables, for
 * each of {@link SIZES}. The two alternate for {@link ROUNDS} rounds, each after a CHECKPOINT
 * (so neither pays for the other's dirty pages), and the medians are compared. CPU is counted
 * for both: this process's and, when PostgreSQL runs on this machine, the database's; on C cores
 * a phase can take no less than its total CPU divided by C, which bounds the ratio any writer
 * doing the same work could reach here.
 */
export async function benchWriter() {
  // Warm-up (not counted): the JIT compiles both paths before the rounds that count.
  await timeCopy(WARM_UP);
  await timeWriter(WARM_UP);
  const table: string[][] = [];
  for (const n of SIZES) table.push(...(await sizeRows(n, `${fmt(n)} attempts`)));
  return {
    title: `Writer: attempts (one attempt row and two event rows each) on Postgres, median of ${ROUNDS} alternating rounds per size`,
    rows: table,
  };
}
