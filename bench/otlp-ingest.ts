import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createApiKey } from '../src/auth/index.js';
import { DEFAULT_DECODE_LIMITS, decodeTraceExport, exportRecords, mapSpans } from '../src/otlp/index.js';
import { ExportTraceServiceRequest } from '../src/otlp/proto-root.js';
import { start, stop } from './http-ingest.js';
import { BENCH_URL, benchDatabase, fmt } from './support.js';

const CONCURRENCY = 16;
const DURATION_MS = 5_000;
const SPANS = 100;
/** Bodies made before each timed phase (ids unique across the run, so every call is new). */
const BODIES = 1_500;
const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

let serial = 0;
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** One GenAI call as the instrumentations send it, with its prompt (which tripmeter drops). */
interface Call {
  traceId: string;
  spanId: string;
  requestId: string;
  startMs: number;
  durationMs: number;
  inputTokens: number;
  outputTokens: number;
}

function calls(n: number): Call[] {
  const now = Date.now() - 60_000;
  return Array.from({ length: n }, (_, i) => {
    const id = serial++;
    return {
      traceId: hex(id + 1, 32),
      spanId: hex(i + 1, 16),
      requestId: `ob-${id}`,
      startMs: now + i,
      durationMs: 800 + (i % 50),
      inputTokens: 1000 + i,
      outputTokens: 200 + i,
    };
  });
}

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const int = (key: string, value: number) => ({ key, value: { intValue: value } });

/** An ExportTraceServiceRequest of 100 GenAI spans, encoded by protobufjs (as an SDK would). */
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

/** The same calls as one `/v1/events` batch of `provider_call` events. */
function eventsBody(batch: Call[]): Uint8Array {
  const events = batch.map((c, i) => ({
    type: 'provider_call',
    request_id: c.requestId,
    call_index: i,
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

/** POSTs the bodies with keep-alive connections for `DURATION_MS`; calls/s. */
async function load(url: string, headers: Record<string, string>, bodies: Uint8Array[], ok: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const target = new URL(url);
  let next = 0;
  let done = 0;
  const failures: string[] = [];
  const post = (payload: Uint8Array) =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: { 'content-length': payload.byteLength, ...headers },
        },
        (res) => {
          let text = '';
          res.on('data', (d) => {
            text += d;
          });
          res.on('end', () => {
            if (res.statusCode === ok) done++;
            else failures.push(`${res.statusCode} ${text.slice(0, 200)}`);
            resolve();
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  const started = performance.now();
  const until = started + DURATION_MS;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until && next < bodies.length) await post(bodies[next++]!);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  if (failures.length > 0) throw new Error(`${url}: ${failures.length} failed, e.g. ${failures[0]}`);
  if (next >= bodies.length) throw new Error(`${url}: ran out of bodies; raise BODIES`);
  return (done * SPANS) / seconds;
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

/**
 * `POST /v1/traces` (protobuf, 100 GenAI spans per request) beside `POST /v1/events` batches of
 * the same 100 calls as `provider_call` events, on one `tripmeter serve` (child process,
 * PostgreSQL) in the same run: calls/s and the ratio (goal ≥ 0.7×).
 */
export default async function benchOtlpIngest() {
  const database = await benchDatabase('otlp');
  const { key } = await createApiKey(database, { scope: 'ingest' });
  const serve = await start([MAIN, 'serve', '--port', '0', '--log-level', 'warn'], {
    DATABASE_URL: BENCH_URL,
    TRIPMETER_SCHEMA: database.schema,
    TRIPMETER_RATE_LIMIT_KEY_PER_SECOND: '1000000',
    TRIPMETER_RATE_LIMIT_ADDRESS_PER_SECOND: '1000000',
  });
  try {
    const auth = { authorization: `Bearer ${key}` };
    const traces = `${serve.url}/v1/traces`;
    const events = `${serve.url}/v1/events`;
    const protoHeaders = { ...auth, 'content-type': 'application/x-protobuf' };
    const jsonHeaders = { ...auth, 'content-type': 'application/json' };
    const make = (f: (b: Call[]) => Uint8Array) => Array.from({ length: BODIES }, () => f(calls(SPANS)));
    const cpu = await decodeOnly(make(traceBody).slice(0, 300));
    await load(traces, protoHeaders, make(traceBody).slice(0, 200), 200); // warm-up
    // /v1/events takes provider_call events once the ingest side of issue 17 has landed.
    const eventsRun = () => load(events, jsonHeaders, make(eventsBody), 202);
    const eventsMissing = await load(events, jsonHeaders, make(eventsBody).slice(0, 200), 202).then(
      () => undefined,
      (error: Error) => error.message.slice(0, 160),
    );
    const viaTraces = await load(traces, protoHeaders, make(traceBody), 200);
    if (eventsMissing !== undefined)
      return {
        title: `OTLP /v1/traces on Postgres (${SPANS} calls per request, ${CONCURRENCY} keep-alive connections, ${DURATION_MS / 1000} s)`,
        rows: [
          ['/v1/events, provider_call batches', `not measured: ${eventsMissing}`, ''],
          ['/v1/traces, protobuf', `${fmt(viaTraces)} spans/s`, ''],
          ['decode + map + records alone (one core, no I/O)', `${fmt(cpu)} spans/s`, ''],
        ],
      };
    const viaEvents = await eventsRun();
    return {
      title: `OTLP /v1/traces vs /v1/events on Postgres (${SPANS} calls per request, ${CONCURRENCY} keep-alive connections, ${DURATION_MS / 1000} s each)`,
      rows: [
        ['/v1/events, provider_call batches', `${fmt(viaEvents)} calls/s`, '1×'],
        [
          '/v1/traces, protobuf (goal ≥ 0.7×)',
          `${fmt(viaTraces)} spans/s`,
          `${fmt(viaTraces / viaEvents, 2)}×`,
        ],
        ['decode + map + records alone (one core, no I/O)', `${fmt(cpu)} spans/s`, ''],
      ],
    };
  } finally {
    await stop(serve.child);
    await database.drop();
  }
}
