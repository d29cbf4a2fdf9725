import pg from 'pg';
import type { TelemetryEvent } from '../src/domain/index.js';
import { copyRows } from '../src/storage/write-transaction.js';
import { attemptPatches } from '../src/write/attempt-patches.js';
import { columnNames } from '../src/write/column-sql.js';
import { EVENT_COLUMNS } from '../src/write/event-rows.js';
import { createTracker, createTripmeter, type Sink } from '../src/write/index.js';
import { ATTEMPT_COLUMNS, newAttemptRow, newEventRow } from '../src/write/new-requests.js';
import { BENCH_URL, benchDatabase, fmt } from './support.js';

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

function runAttempts(tracker: ReturnType<typeof createTracker>, n: number) {
  for (let i = 0; i < n; i++) {
    tracker
      .startAttempt({ requestId: `r-${i}`, anonSessionId: crypto.randomUUID(), input })
      .succeed({ tripId: `t-${i}` });
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
  runAttempts(tracker, n);
  await tracker.shutdown(60_000);
  return events;
}

/**
 * Writer throughput: `n` complete attempts (one attempt row and two event rows each) through the
 * tracker and its batched writer, beside a raw COPY of the same rows into the same tables.
 */
export async function benchWriter(n = 30_000) {
  const events = await captureEvents(n);
  const rows = n * 3;

  // Baseline: raw COPY of the same attempt and event rows.
  const copyDb = await benchDatabase('copy');
  const pool = new pg.Pool({ connectionString: BENCH_URL, max: 1 });
  const client = await pool.connect();
  // The rows the writer stores (no anonymous id of the bench is linked to a user).
  const patches = attemptPatches(events);
  const byRequest = new Map(patches.map((p) => [p.request_id, p]));
  const none = new Map<string, string>();
  const attemptRows = patches.map((p) => newAttemptRow(p, none));
  const eventRows = events.map((e) => newEventRow(e, byRequest.get(e.requestId)!, none));
  let t = performance.now();
  await client.query('BEGIN');
  await copyRows(
    client,
    `${copyDb.schema}.trip_creation_attempts`,
    columnNames(ATTEMPT_COLUMNS),
    attemptRows,
  );
  await copyRows(client, `${copyDb.schema}.trip_creation_events`, columnNames(EVENT_COLUMNS), eventRows);
  await client.query('COMMIT');
  const copyMs = performance.now() - t;
  client.release();
  await pool.end();
  await copyDb.drop();

  // Ours: the tracker, default batch size, written through the batched writer.
  const ourDb = await benchDatabase('writer');
  const tracker = createTripmeter({ database: ourDb, maxQueue: 2 * n + 10 });
  t = performance.now();
  runAttempts(tracker, n);
  await tracker.shutdown(120_000);
  const writerMs = performance.now() - t;
  const stats = tracker.stats();
  await ourDb.drop();
  if (stats.written !== 2 * n) throw new Error(`writer wrote ${stats.written} events, expected ${2 * n}`);

  const copyRate = rows / (copyMs / 1000);
  const writerRate = rows / (writerMs / 1000);
  return {
    title: `Writer: ${fmt(n)} attempts = ${fmt(rows)} rows (attempts + events), Postgres`,
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
