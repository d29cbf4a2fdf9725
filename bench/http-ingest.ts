import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createApiKey } from '../src/auth/index.js';
import { newId, type TelemetryEvent } from '../src/domain/index.js';
import { GroupCommitWriter } from '../src/ingest/index.js';
import { PostgresSink } from '../src/store/postgres-sink.js';
import { BENCH_URL, benchDatabase, fmt, postgresCpuMs, processCpuMs } from './support.js';

const CONCURRENCY = 32;
const DURATION_MS = 5_000;
const BATCH = 100;
const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const NOOP = fileURLToPath(new URL('./noop-server.ts', import.meta.url));

/** Starts a Node child process (through tsx) and resolves with the URL it prints. */
export async function start(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d;
      const match = /listening on (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d) => {
      out += d;
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${out}`)));
  });
  return { child, url };
}

export async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

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

/** CPU per event of one load phase, in µs: the loading process (this one), the server, PostgreSQL. */
interface LoadCpu {
  loader: number;
  server: number | undefined;
  postgres: number | undefined;
}

/**
 * POSTs bodies from `body()` with `CONCURRENCY` keep-alive connections for `DURATION_MS`;
 * events/s, req/s, and the CPU each event cost the loader, the server (`serverPid`) and PostgreSQL.
 */
async function load(
  url: string,
  headers: Record<string, string>,
  body: () => unknown,
  eventsPer: number,
  serverPid?: number,
) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const target = new URL(url);
  let requests = 0;
  let failures = 0;
  const post = (payload: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            ...headers,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  const server0 = serverPid === undefined ? undefined : processCpuMs(serverPid);
  const postgres0 = postgresCpuMs();
  const own0 = process.cpuUsage();
  const started = performance.now();
  const until = started + DURATION_MS;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const status = await post(JSON.stringify(body()));
        if (status === 202) requests++;
        else failures++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const own = process.cpuUsage(own0);
  const server1 = serverPid === undefined ? undefined : processCpuMs(serverPid);
  const postgres1 = postgresCpuMs();
  agent.destroy();
  if (failures > 0) throw new Error(`${failures} requests to ${url} were not answered 202`);
  const events = requests * eventsPer;
  const perEvent = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? undefined : ((b - a) * 1000) / events;
  const cpu: LoadCpu = {
    loader: (own.user + own.system) / events,
    server: perEvent(server0, server1),
    postgres: perEvent(postgres0, postgres1),
  };
  return { events: events / seconds, requests: requests / seconds, cpu };
}

/** A phase's CPU per event as text. */
function cpuText(cpu: LoadCpu): string {
  const part = (name: string, us: number | undefined) => (us === undefined ? [] : [`${name} ${fmt(us, 1)}`]);
  return [...part('loader', cpu.loader), ...part('server', cpu.server), ...part('PostgreSQL', cpu.postgres)]
    .join(', ')
    .concat(' µs/event');
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
  // All load comes from one address and one key: the rate limits stay on (their check is part
  // of each request's cost) but high enough never to refuse it.
  const serve = await start([MAIN, 'serve', '--port', '0', '--log-level', 'warn'], {
    DATABASE_URL: BENCH_URL,
    TRIPMETER_SCHEMA: database.schema,
    TRIPMETER_RATE_LIMIT_KEY_PER_SECOND: '1000000',
    TRIPMETER_RATE_LIMIT_ADDRESS_PER_SECOND: '1000000',
  });
  const noop = await start([NOOP]);
  try {
    const auth = { authorization: `Bearer ${key}` };
    const events = `${serve.url}/v1/events`;
    const baseline = `${noop.url}/noop`;
    await load(events, auth, attempted, 1); // warm up both servers and the pool
    await load(baseline, {}, attempted, 1);
    const single = await load(events, auth, attempted, 1, serve.child.pid);
    const singleNoop = await load(baseline, {}, attempted, 1, noop.child.pid);
    const batched = await load(events, auth, batch, BATCH);
    const batchedNoop = await load(baseline, {}, batch, BATCH);
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
          `${fmt(single.events)} events/s`,
          ratio(single.events, singleNoop.events),
        ],
        ['single events: do-nothing Hono route', `${fmt(singleNoop.events)} events/s`, '1×'],
        ['single events: CPU, serve', cpuText(single.cpu), ''],
        ['single events: CPU, do-nothing route', cpuText(singleNoop.cpu), ''],
        ...ceiling(single.cpu, singleNoop.events),
        [
          `batches of ${BATCH}: serve (202 after commit)`,
          `${fmt(batched.events)} events/s (${fmt(batched.requests)} req/s)`,
          ratio(batched.events, batchedNoop.events),
        ],
        [`batches of ${BATCH}: do-nothing Hono route`, `${fmt(batchedNoop.events)} events/s`, '1×'],
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
