import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { BENCH_URL, fmt, postgresCpuMs, processCpuMs } from './support.js';

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

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

/**
 * `tripmeter serve` in a child process over a bench database's schema, on a free port. All load
 * comes from one address and one key: the rate limits stay on (their check is part of each
 * request's cost) but high enough never to refuse it.
 */
export function startServe(schema: string, env: Record<string, string> = {}) {
  // TRIPMETER_BENCH_CPU_PROF=<dir>: serve writes a V8 CPU profile there when it stops.
  const dir = process.env.TRIPMETER_BENCH_CPU_PROF;
  const profile = dir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${dir}`];
  return start([...profile, MAIN, 'serve', '--port', '0', '--log-level', 'warn'], {
    DATABASE_URL: BENCH_URL,
    TRIPMETER_SCHEMA: schema,
    TRIPMETER_RATE_LIMIT_KEY_PER_SECOND: '1000000',
    TRIPMETER_RATE_LIMIT_ADDRESS_PER_SECOND: '1000000',
    ...env,
  });
}

/** Stops a child process started by {@link start} and waits until it has exited. */
export async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** CPU per item of one load phase, in µs: the loading process (this one), the server, PostgreSQL. */
export interface LoadCpu {
  loader: number;
  server: number | undefined;
  postgres: number | undefined;
}

/** One load phase of {@link load}. */
export interface LoadPhase {
  url: string;
  /** Sent with every request (`content-length` is added). */
  headers: Record<string, string>;
  /**
   * The next body to post, or undefined when there is none left: a phase that posts bodies made
   * beforehand ends early when they run out (its rate stays true: it is items over its own time).
   */
  next: () => Uint8Array | string | undefined;
  /** Items (events, spans) one body carries. */
  itemsPer: number;
  /** The status of a stored body (202 on `/v1/events`, 200 on `/v1/traces`); any other fails the phase. */
  ok: number;
  /** Keep-alive connections, each posting one body after another. */
  concurrency: number;
  durationMs: number;
  /** The server's process id, to read its CPU from /proc. */
  serverPid?: number;
}

/** What a phase measured. */
export interface LoadResult {
  /** Items of the bodies answered `ok`. */
  total: number;
  /** Items per second. */
  items: number;
  /** Requests per second. */
  requests: number;
  cpu: LoadCpu;
}

/**
 * POSTs bodies with `concurrency` keep-alive connections for `durationMs` (or until `next()` runs
 * dry): items/s, requests/s, and the CPU each item cost the loader, the server and PostgreSQL.
 * Throws when any answer is not `ok`, quoting the first.
 */
export async function load(phase: LoadPhase): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: phase.concurrency });
  const target = new URL(phase.url);
  let requests = 0;
  const failures: string[] = [];
  const post = (payload: Uint8Array | string) =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: { 'content-length': Buffer.byteLength(payload), ...phase.headers },
        },
        (res) => {
          let text = '';
          if (res.statusCode === phase.ok) res.resume();
          else res.on('data', (d) => (text += d));
          res.on('end', () => {
            if (res.statusCode === phase.ok) requests++;
            else failures.push(`${res.statusCode} ${text.slice(0, 200)}`);
            resolve();
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  const server0 = phase.serverPid === undefined ? undefined : processCpuMs(phase.serverPid);
  const postgres0 = postgresCpuMs();
  const own0 = process.cpuUsage();
  const started = performance.now();
  const until = started + phase.durationMs;
  await Promise.all(
    Array.from({ length: phase.concurrency }, async () => {
      while (performance.now() < until) {
        const payload = phase.next();
        if (payload === undefined) break;
        await post(payload);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const own = process.cpuUsage(own0);
  const server1 = phase.serverPid === undefined ? undefined : processCpuMs(phase.serverPid);
  const postgres1 = postgresCpuMs();
  agent.destroy();
  if (failures.length > 0)
    throw new Error(`${phase.url}: ${failures.length} requests failed, e.g. ${failures[0]}`);
  const items = requests * phase.itemsPer;
  const perItem = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? undefined : ((b - a) * 1000) / items;
  return {
    total: items,
    items: items / seconds,
    requests: requests / seconds,
    cpu: {
      loader: (own.user + own.system) / items,
      server: perItem(server0, server1),
      postgres: perItem(postgres0, postgres1),
    },
  };
}

/** A phase's CPU per item as text (`loader 3.1, server 40.2, PostgreSQL 20.5 µs/event`). */
export function cpuText(cpu: LoadCpu, unit = 'event'): string {
  const part = (name: string, us: number | undefined) => (us === undefined ? [] : [`${name} ${fmt(us, 1)}`]);
  return [...part('loader', cpu.loader), ...part('server', cpu.server), ...part('PostgreSQL', cpu.postgres)]
    .join(', ')
    .concat(` µs/${unit}`);
}
