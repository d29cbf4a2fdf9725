import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { type Database, migrate, openDatabase } from '../src/storage/index.js';

/** The Postgres the benchmarks use (its own schemas, dropped afterwards). */
export const BENCH_URL =
  process.env.TRIPMETER_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Opens a fresh migrated schema on the bench Postgres; `drop()` removes it and closes. */
export async function benchDatabase(prefix: string): Promise<Database & { drop(): Promise<void> }> {
  const schema = `bench_${prefix}_${Date.now().toString(36)}`;
  const database = await openDatabase({ databaseUrl: BENCH_URL, dataDir: 'memory://', schema, poolSize: 8 });
  await migrate(database);
  return Object.assign(database, { drop: () => dropBenchSchemas(database) });
}

/** Drops a bench database's product and admin schemas (errors ignored) and closes it. */
export async function dropBenchSchemas(database: Database): Promise<void> {
  for (const schema of [database.schema, database.adminSchema]) {
    await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(database.db).catch(() => {});
  }
  await database.close();
}

/** A local HTTP endpoint that answers every request at once (the peer SDKs' target). */
export async function sinkServer(): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  let count = 0;
  const server: Server = createServer((req, res) => {
    count++;
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":1}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Median of a list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Formats a number with thousands separators. */
export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Yields to the event loop (lets background flushes run between samples). */
export const tick = () => new Promise((resolve) => setImmediate(resolve));

/** CPU milliseconds (user + system) of a process, from /proc; undefined where /proc is not readable. */
export function processCpuMs(pid: number): number | undefined {
  try {
    // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (1/100 s).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/**
 * CPU milliseconds used so far by every PostgreSQL process of this machine (backends, WAL
 * writer, checkpointer…), from /proc; undefined when the server is not local or /proc is not
 * readable. Differences of two readings give a phase's database CPU.
 */
export function postgresCpuMs(): number | undefined {
  let total: number | undefined;
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let name: string;
      try {
        name = readFileSync(`/proc/${pid}/comm`, 'utf8');
      } catch {
        continue; // the process ended meanwhile
      }
      if (!name.startsWith('postgres')) continue;
      const ms = processCpuMs(Number(pid));
      if (ms !== undefined) total = (total ?? 0) + ms;
    }
  } catch {
    return undefined;
  }
  return total;
}

/** CPU used by a phase: this process's and PostgreSQL's, in milliseconds. */
export interface PhaseCpu {
  ownMs: number;
  postgresMs: number | undefined;
}

/** Runs `fn` and reports its wall time and the CPU this process and PostgreSQL spent meanwhile. */
export async function measured<T>(fn: () => Promise<T>): Promise<{ ms: number; cpu: PhaseCpu; value: T }> {
  const pg0 = postgresCpuMs();
  const own0 = process.cpuUsage();
  const t = performance.now();
  const value = await fn();
  const ms = performance.now() - t;
  const own = process.cpuUsage(own0);
  const pg1 = postgresCpuMs();
  return {
    ms,
    value,
    cpu: {
      ownMs: (own.user + own.system) / 1000,
      postgresMs: pg0 === undefined || pg1 === undefined ? undefined : pg1 - pg0,
    },
  };
}
