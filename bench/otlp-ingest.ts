import { createApiKey } from '../src/auth/index.js';
import { DEFAULT_DECODE_LIMITS, decodeTraceExport, exportRecords, mapSpans } from '../src/otlp/index.js';
import { ExportTraceServiceRequest } from '../src/otlp/proto-root.js';
import type { Database } from '../src/storage/index.js';
import { cpuText, type LoadCpu, type LoadResult, load, startServe, stop } from './http-load.js';
import { benchDatabase, fmt, median } from './support.js';

const CONCURRENCY = 16;
const PHASE_MS = 3_000;
/** Paired rounds: each times both routes, the one that goes first alternating. */
const ROUNDS = 4;
const SPANS = 100;

let serial = 0;
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/**
 * One GenAI call as the instrumentations send it. Each call is the only call of its own attempt
 * (`requestId`); the `i`-th call of every body has the same model, tokens and duration, so both
 * routes store the same rows but for ids and times.
 */
interface Call {
  traceId: string;
  spanId: string;
  requestId: string;
  startMs: number;
  durationMs: number;
  inputTokens: number;
  outputTokens: number;
}

/** A body's worth of new calls; `prefix` tells which route stored a row (`ot-`, `oe-`). */
function calls(prefix: string): Call[] {
  const now = Date.now() - 60_000;
  return Array.from({ length: SPANS }, (_, i) => {
    const id = serial++;
    return {
      traceId: hex(id + 1, 32),
      spanId: hex(i + 1, 16),
      requestId: `${prefix}${id}`,
      startMs: now + i,
      durationMs: 800 + (i % 50),
      inputTokens: 1000 + i,
      outputTokens: 200 + i,
    };
  });
}

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const int = (key: string, value: number) => ({ key, value: { intValue: value } });

/** An ExportTraceServiceRequest of the calls as GenAI spans, encoded by protobufjs (as an SDK would). */
function traceBody(batch: Call[]): Uint8Array {
  const spans = batch.map((c) => ({
    traceId: Buffer.from(c.traceId, 'hex'),
    spanId: Buffer.from(c.spanId, 'hex'),
    name: 'chat gpt-4o-mini',
    kind: 3,
    startTimeUnixNano: c.startMs * 1e6,
    endTimeUnixNano: (c.startMs + c.durationMs) * 1e6,
    attributes: [
      str('gen_ai.operation.name', 'chat'),
      str('gen_ai.provider.name', 'openai'),
      str('gen_ai.request.model', 'gpt-4o-mini'),
      str('gen_ai.response.model', 'gpt-4o-mini-2024-07-18'),
      int('gen_ai.usage.input_tokens', c.inputTokens),
      int('gen_ai.usage.output_tokens', c.outputTokens),
      { key: 'gen_ai.response.finish_reasons', value: { arrayValue: { values: [{ stringValue: 'stop' }] } } },
      str('tripmeter.request_id', c.requestId),
      str('server.address', 'api.openai.com'),
    ],
    status: { code: 1 },
  }));
  const message = {
    resourceSpans: [
      {
        resource: { attributes: [str('service.name', 'trip-worker')] },
        scopeSpans: [{ scope: { name: 'openai' }, spans }],
      },
    ],
  };
  return ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(message)).finish();
}

/** The same calls as one `/v1/events` batch of `provider_call` events (call 0 of each attempt). */
function eventsBody(batch: Call[]): Uint8Array {
  const events = batch.map((c) => ({
    type: 'provider_call',
    request_id: c.requestId,
    call_index: 0,
    provider: 'openai',
    model: 'gpt-4o-mini',
    response_model: 'gpt-4o-mini-2024-07-18',
    status: 'success',
    duration_ms: c.durationMs,
    input_tokens: c.inputTokens,
    output_tokens: c.outputTokens,
    finish_reason: 'stop',
    occurred_at: new Date(c.startMs).toISOString(),
  }));
  return Buffer.from(JSON.stringify({ events }));
}

/** One route under load: its URL and headers, the body of a batch of calls, its success status. */
interface Route {
  url: string;
  headers: Record<string, string>;
  prefix: string;
  body: (batch: Call[]) => Uint8Array;
  ok: number;
  serverPid: number | undefined;
}

/**
 * Loads `route` for `ms` with `bodies` bodies made beforehand, so neither encoding's cost falls
 * on the loader while it is timed (a phase that uses them all ends early; its rate stays true).
 */
function phase(route: Route, bodies: number, ms: number): Promise<LoadResult> {
  const made = Array.from({ length: bodies }, () => route.body(calls(route.prefix)));
  let next = 0;
  return load({
    url: route.url,
    headers: route.headers,
    next: () => made[next++],
    itemsPer: SPANS,
    ok: route.ok,
    concurrency: CONCURRENCY,
    durationMs: ms,
    serverPid: route.serverPid,
  });
}

/**
 * Bodies enough for a phase at twice the fastest rate the route has shown yet, and never fewer
 * than 300: a warm-up slowed by another process must not cut the next phases short.
 */
const bodiesFor = (rate: number) => Math.max(300, Math.ceil(((rate * PHASE_MS) / 1000 / SPANS) * 2));

/** The median of each part of several phases' CPU (a part missing from any phase is missing). */
function medianCpu(cpus: LoadCpu[]): LoadCpu {
  const part = (pick: (c: LoadCpu) => number | undefined) => {
    const values = cpus.map(pick);
    return values.some((v) => v === undefined) ? undefined : median(values as number[]);
  };
  return {
    loader: median(cpus.map((c) => c.loader)),
    server: part((c) => c.server),
    postgres: part((c) => c.postgres),
  };
}

/** Decode + map + records alone, in this process: spans/s of the CPU path of /v1/traces. */
async function decodeOnly(bodies: Uint8Array[]): Promise<number> {
  const started = performance.now();
  let spans = 0;
  for (const body of bodies) {
    const exported = await decodeTraceExport(
      body,
      'application/x-protobuf',
      undefined,
      DEFAULT_DECODE_LIMITS,
    );
    const mapped = mapSpans(exported, { unattachedSpans: 'store_unattached' });
    spans += exportRecords(mapped).calls.length;
  }
  return spans / ((performance.now() - started) / 1000);
}

/** The columns of a stored call but for ids, keys and times: what both routes must store alike. */
const ROW_CONTENTS = [
  'provider',
  'model',
  'response_model',
  'status',
  'failure_kind',
  'duration_ms',
  'input_tokens',
  'output_tokens',
  'finish_reason',
  'cost_usd',
  'source',
] as const;

/**
 * The rows a route stored (request ids starting with `prefix`): how many, and their distinct
 * contents but for ids, keys and times (JSON, sorted). Both routes must give the same contents.
 */
async function storedRows(database: Database, prefix: string): Promise<{ count: number; shapes: string }> {
  const rows = await database.db
    .withSchema(database.schema)
    .selectFrom('trip_creation_provider_calls')
    .select(ROW_CONTENTS)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('request_id', 'like', `${prefix}%`)
    .groupBy(ROW_CONTENTS)
    .execute();
  const count = rows.reduce((sum, r) => sum + Number(r.n), 0);
  const shapes = rows.map(({ n: _, ...shape }) => JSON.stringify(shape)).sort();
  return { count, shapes: shapes.join('\n') };
}

/**
 * `POST /v1/traces` (protobuf, 100 GenAI spans per request) beside `POST /v1/events` batches of
 * the same calls as `provider_call` events, on one `tripmeter serve` (child process, PostgreSQL):
 * `ROUNDS` paired rounds alternating which route goes first; calls/s, the server's CPU per call,
 * and the ratio of each pair (goal ≥ 0.7×). Both routes hand their records to the same group
 * commit and sink, so the ratio is the cost of the route's own work (decode, map, validate).
 */
export default async function benchOtlpIngest() {
  const database = await benchDatabase('otlp');
  const { key } = await createApiKey(database, { scope: 'ingest' });
  const serve = await startServe(database.schema);
  try {
    const auth = { authorization: `Bearer ${key}` };
    const common = { serverPid: serve.child.pid };
    const events: Route = {
      ...common,
      url: `${serve.url}/v1/events`,
      headers: { ...auth, 'content-type': 'application/json' },
      prefix: 'oe-',
      body: eventsBody,
      ok: 202,
    };
    const traces: Route = {
      ...common,
      url: `${serve.url}/v1/traces`,
      headers: { ...auth, 'content-type': 'application/x-protobuf' },
      prefix: 'ot-',
      body: traceBody,
      ok: 200,
    };
    const cpuBodies = Array.from({ length: 300 }, () => traceBody(calls('cpu-')));
    await decodeOnly(cpuBodies); // the first pass compiles (JIT)
    const cpu = await decodeOnly(cpuBodies);
    const answered = { events: 0, traces: 0 };
    // Warm-up (JIT, pool, partitions), which also sizes each phase's bodies.
    const warm = { events: await phase(events, 150, 1_500), traces: await phase(traces, 150, 1_500) };
    answered.events += warm.events.total;
    answered.traces += warm.traces.total;
    const fastest = { events: warm.events.items, traces: warm.traces.items };
    const rounds: { events: LoadResult; traces: LoadResult }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? (['events', 'traces'] as const) : (['traces', 'events'] as const);
      const result: Partial<Record<'events' | 'traces', LoadResult>> = {};
      for (const name of order) {
        const route = name === 'events' ? events : traces;
        const r = await phase(route, bodiesFor(fastest[name]), PHASE_MS);
        answered[name] += r.total;
        fastest[name] = Math.max(fastest[name], r.items);
        result[name] = r;
      }
      rounds.push(result as { events: LoadResult; traces: LoadResult });
    }
    const viaEvents = await storedRows(database, events.prefix);
    const viaTraces = await storedRows(database, traces.prefix);
    if (viaEvents.count !== answered.events || viaTraces.count !== answered.traces)
      throw new Error(
        `rows stored differ from calls answered: /v1/events ${viaEvents.count} of ${answered.events}, /v1/traces ${viaTraces.count} of ${answered.traces}`,
      );
    if (viaEvents.shapes !== viaTraces.shapes) throw new Error('the two routes stored different rows');

    const mid = (pick: (r: { events: LoadResult; traces: LoadResult }) => number) => median(rounds.map(pick));
    const ratios = rounds.map((r) => r.traces.items / r.events.items);
    const serverRatio = mid((r) => (r.events.cpu.server ?? Number.NaN) / (r.traces.cpu.server ?? Number.NaN));
    return {
      title: `OTLP /v1/traces vs /v1/events on Postgres (${SPANS} calls per request, ${CONCURRENCY} keep-alive connections, ${ROUNDS} paired rounds of ${PHASE_MS / 1000} s per route; medians)`,
      rows: [
        ['/v1/events, provider_call batches (JSON)', `${fmt(mid((r) => r.events.items))} calls/s`, '1×'],
        [
          '/v1/traces, protobuf (goal ≥ 0.7×)',
          `${fmt(mid((r) => r.traces.items))} spans/s`,
          `${fmt(median(ratios), 2)}×`,
        ],
        ['ratio of each round', ratios.map((r) => `${fmt(r, 2)}×`).join(', '), ''],
        ['/v1/events: CPU', cpuText(medianCpu(rounds.map((r) => r.events.cpu)), 'call'), ''],
        [
          '/v1/traces: CPU (ratio: server CPU per call of /v1/events over /v1/traces)',
          cpuText(medianCpu(rounds.map((r) => r.traces.cpu)), 'call'),
          `${fmt(serverRatio, 2)}×`,
        ],
        [
          'rows stored (each route: one per call answered, the same contents)',
          `${fmt(viaEvents.count)} + ${fmt(viaTraces.count)}`,
          '',
        ],
        ['decode + map + records alone (this process, no I/O)', `${fmt(cpu)} spans/s`, ''],
      ],
    };
  } finally {
    await stop(serve.child);
    await database.drop();
  }
}
