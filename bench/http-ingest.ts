import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createApiKey } from '../src/auth/index.js';
import { newId, type TelemetryEvent } from '../src/domain/index.js';
import { GroupCommitWriter } from '../src/ingest/index.js';
import { PostgresSink } from '../src/store/postgres-sink.js';
import { cpuText, type LoadCpu, load, start, startServe, stop } from './http-load.js';
import { benchDatabase, fmt } from './support.js';

const CONCURRENCY = 32;
const DURATION_MS = 5_000;
const BATCH = 100;
const NOOP = fileURLToPath(new URL('./noop-server.ts', import.meta.url));

const input = {
  destinationPrompt: 'Portugal',
  options: { budget: 'Low', pace: 'Relaxed', notes: 'surfing' },
};
let serial = 0;
const attempted = () => ({
  type: 'create_trip_attempted',
  request_id: `hb-${serial++}`,
  input_snapshot: input,
});
const batch = () => ({ events: Array.from({ length: BATCH }, attempted) });

/** POSTs JSON bodies from `body()` to a route answering 202 (see `load`). */
function loadJson(
  url: string,
  headers: Record<string, string>,
  body: () => unknown,
  eventsPer: number,
  serverPid?: number,
) {
  return load({
    url,
    headers: { 'content-type': 'application/json', ...headers },
    next: () => JSON.stringify(body()),
    itemsPer: eventsPer,
    ok: 202,
    concurrency: CONCURRENCY,
    durationMs: DURATION_MS,
    serverPid,
  });
}

/** The writer alone: 32 concurrent single-event submissions through PostgresSink for 3 s. */
async function groupCommit(sink: PostgresSink, maxConcurrent: number) {
  const writer = new GroupCommitWriter({ sink, maxConcurrent });
  const event = (): TelemetryEvent => ({
    id: newId(),
    type: 'create_trip_attempted',
    requestId: `gc-${serial++}`,
    occurredAt: new Date(),
    source: 'app',
  });
  let done = 0;
  const started = performance.now();
  const until = started + 3_000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const { accepted } = await writer.submit([event()]);
        done += accepted; // after the await: \`done += await …\` would read \`done\` before it
      }
    }),
  );
  await writer.close();
  return done / ((performance.now() - started) / 1000);
}

/**
 * The most single events per second the cores of this machine allow when each event costs
 * `cpu` (loader + server + PostgreSQL, all on this machine), beside the goal of half the
 * do-nothing route's rate.
 */
function ceiling(cpu: LoadCpu, noopEvents: number): string[][] {
  if (cpu.server === undefined || cpu.postgres === undefined) return [];
  const cores = availableParallelism();
  const total = cpu.loader + cpu.server + cpu.postgres;
  const most = (cores * 1_000_000) / total;
  return [
    [
      `single events: ceiling on ${cores} cores at ${fmt(total, 1)} µs of CPU per event`,
      `${fmt(most)} events/s (goal: ${fmt(noopEvents / 2)})`,
      `≤ ${fmt(most / noopEvents, 2)}×`,
    ],
  ];
}

/**
 * HTTP `/v1/events` throughput on Postgres: `tripmeter serve` in a child process beside a
 * do-nothing Hono route (@hono/node-server, another child process), both loaded from this
 * process with 32 keep-alive connections for 5 s; single events and batches of 100.
 */
export default async function benchHttpIngest() {
  const database = await benchDatabase('http');
  const { key } = await createApiKey(database, { scope: 'ingest' });
  const serve = await startServe(database.schema);
  const noop = await start([NOOP]);
  try {
    const auth = { authorization: `Bearer ${key}` };
    const events = `${serve.url}/v1/events`;
    const baseline = `${noop.url}/noop`;
    await loadJson(events, auth, attempted, 1); // warm up both servers and the pool
    await loadJson(baseline, {}, attempted, 1);
    const single = await loadJson(events, auth, attempted, 1, serve.child.pid);
    const singleNoop = await loadJson(baseline, {}, attempted, 1, noop.child.pid);
    const batched = await loadJson(events, auth, batch, BATCH);
    const batchedNoop = await loadJson(baseline, {}, batch, BATCH);
    await stop(serve.child);
    const sink = new PostgresSink(database);
    const serial1 = await groupCommit(sink, 1);
    const concurrent2 = await groupCommit(sink, 2);
    const concurrent8 = await groupCommit(sink, 8);
    const ratio = (a: number, b: number) => `${fmt(a / b, 2)}×`;
    return {
      title: `HTTP /v1/events on Postgres (${CONCURRENCY} keep-alive connections, ${DURATION_MS / 1000} s each)`,
      rows: [
        [
          'single events: serve (202 after commit)',
          `${fmt(single.items)} events/s`,
          ratio(single.items, singleNoop.items),
        ],
        ['single events: do-nothing Hono route', `${fmt(singleNoop.items)} events/s`, '1×'],
        ['single events: CPU, serve', cpuText(single.cpu), ''],
        ['single events: CPU, do-nothing route', cpuText(singleNoop.cpu), ''],
        ...ceiling(single.cpu, singleNoop.items),
        [
          `batches of ${BATCH}: serve (202 after commit)`,
          `${fmt(batched.items)} events/s (${fmt(batched.requests)} req/s)`,
          ratio(batched.items, batchedNoop.items),
        ],
        [`batches of ${BATCH}: do-nothing Hono route`, `${fmt(batchedNoop.items)} events/s`, '1×'],
        ['group commit alone, 1 write at a time (serve default)', `${fmt(serial1)} events/s`, '1×'],
        [
          'group commit alone, 2 concurrent writes',
          `${fmt(concurrent2)} events/s`,
          ratio(concurrent2, serial1),
        ],
        [
          'group commit alone, 8 concurrent writes',
          `${fmt(concurrent8)} events/s`,
          ratio(concurrent8, serial1),
        ],
      ],
    };
  } finally {
    await stop(serve.child);
    await stop(noop.child);
    await database.drop();
  }
}
