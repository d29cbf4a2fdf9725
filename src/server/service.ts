import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { evaluateAlerts, notifiersFrom } from '../alerts/index.js';
import { createApiKey, listApiKeys, watchKeyRevocations } from '../auth/index.js';
import type { Config, JobName } from '../config/index.js';
import { loadDemoIfEmpty } from '../demo/index.js';
import { GroupCommitWriter } from '../ingest/index.js';
import { databaseJobClaims, type Job, Scheduler } from '../jobs/index.js';
import { privacyJobs, reconcileAbandoned } from '../lifecycle/index.js';
import type { Logger } from '../logging/index.js';
import { loadPrices } from '../prices/index.js';
import { updateRollups } from '../rollups/index.js';
import { type Database, ensurePartitions, migrate, openDatabase } from '../storage/index.js';
import { PostgresSink } from '../store/index.js';
import { createApp } from './app.js';
import { guardHttpServer, httpServerOptions } from './http-server.js';
import { Histogram, TimedSink } from './prometheus/index.js';
import { openSharedRateLimits } from './rate-limit/index.js';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** A running `tripmeter serve`. */
export interface Service {
  url: string;
  database: Database;
  scheduler: Scheduler;
  /** Stops accepting requests, drains, stops the jobs and closes the database. */
  close(): Promise<void>;
  /** An admin key created on the first run with demo data (shown once by `serve`). */
  demoAdminKey?: string | undefined;
}

/** Options that tests and embedders inject. */
export interface ServiceOptions {
  logger: Logger;
  now?: () => Date;
  /** An already open database (tests); otherwise opened from the config. */
  database?: Database;
  /** Load demo traffic when the embedded database holds no attempt (`serve --demo-if-empty`). */
  demoIfEmpty?: boolean;
}

/**
 * Starts the service: opens and migrates the database, starts the jobs (partitions ahead,
 * hourly) and listens on `config.host:config.port`.
 */
export async function startService(config: Config, options: ServiceOptions): Promise<Service> {
  const { logger } = options;
  const serverOptions = httpServerOptions(config); // refuses bad timeouts before anything opens
  const now = options.now ?? (() => new Date());
  const database =
    options.database ??
    (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, schema: config.schema }));
  const ownsDatabase = options.database === undefined;
  try {
    const migrated = await migrate(database, now());
    if (migrated.applied.length > 0) logger.info({ applied: migrated.applied }, 'migrations applied');
    const prices = await loadPrices(database, config.prices);
    if (prices > 0) logger.info({ rows: prices }, 'model prices loaded');
  } catch (error) {
    if (ownsDatabase) await database.close();
    throw error;
  }
  let demoAdminKey: string | undefined;
  if (options.demoIfEmpty && (await loadDemoIfEmpty(database, { now: now(), logger }))) {
    // First run on demo data: hand the user a key for the dashboard (PGlite is single-process,
    // so `tripmeter keys create` cannot run beside this serve).
    const keys = await listApiKeys(database);
    if (!keys.some((key) => key.scope === 'admin' && key.revokedAt === null)) {
      demoAdminKey = (await createApiKey(database, { scope: 'admin', name: 'demo (first run)' })).key;
    }
  }
  // A key revoked on any instance is refused here as soon as the commit's NOTIFY arrives.
  const revocations = await watchKeyRevocations(database, logger);
  // Every scheduled run claims its period in job_runs, so instances sharing a database run each
  // job once per period.
  const scheduler = new Scheduler(logger, now, databaseJobClaims(database));
  const add = (job: Job) =>
    scheduler.add({ ...job, intervalMs: config.jobIntervalsMs[job.name as JobName] ?? job.intervalMs });
  add({ name: 'partitions', intervalMs: HOUR_MS, run: (at) => ensurePartitions(database, at) });
  // Every minute: a long range reads the hours rolled up so far and only the rest from raw rows,
  // so frequent runs keep that raw rest to about the current hour.
  add({
    name: 'rollups',
    intervalMs: MINUTE_MS,
    run: (at) => updateRollups(database, { now: at }),
  });
  for (const job of privacyJobs(database, config)) add(job);
  add({
    name: 'reconcile',
    intervalMs: MINUTE_MS,
    run: (at) => reconcileAbandoned(database, { now: at }),
  });
  if (config.alerts?.enabled) {
    const notifiers = notifiersFrom(config);
    add({
      name: 'alerts',
      intervalMs: MINUTE_MS,
      run: (at) => evaluateAlerts({ database, config: config.alerts, now: at, notifiers, logger }),
    });
  }

  const dbLatency = new Histogram();
  const ingestWriter = new GroupCommitWriter({
    sink: new TimedSink(new PostgresSink(database), dbLatency),
    // One transaction in flight: while it commits, the next gathers every request that arrives.
    // More slots only make each transaction smaller, and a transaction's cost is mostly per
    // statement, not per row (bench: 2 slots gave ~70 %, 8 slots a third of 1 slot's throughput).
    maxConcurrent: 1,
    logger,
  });
  // With Redis, every instance draws on one allowance per key and address; without, each its own.
  const shared = config.redisUrl ? openSharedRateLimits(config, logger, database.schema) : undefined;
  const app = createApp({
    config,
    database,
    logger,
    now,
    ingestWriter,
    scheduler,
    dbLatency,
    ...(shared && { rateLimits: shared.limits }),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: config.host, port: config.port, serverOptions }, () =>
      resolve(s),
    );
    guardHttpServer(s as HttpServer, config, logger);
    s.once('error', reject);
  }).catch(async (error: unknown) => {
    // The port is taken (or the like): let go of what would keep this process alive.
    await scheduler.stop();
    await revocations.close();
    await shared?.close();
    if (ownsDatabase) await database.close();
    throw error;
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  logger.info({ url, database: database.kind, schema: database.schema }, 'tripmeter serving');

  let closing: Promise<void> | undefined;
  return {
    url,
    demoAdminKey,
    database,
    scheduler,
    close() {
      closing ??= (async () => {
        await stopListening(server);
        await ingestWriter.close();
        await scheduler.stop();
        await revocations.close();
        await shared?.close();
        if (ownsDatabase) await database.close();
      })();
      return closing;
    },
  };
}

/** How long `close()` lets in-flight requests finish before it cuts the remaining connections. */
const DRAIN_GRACE_MS = 15_000;

/**
 * Stops accepting connections and waits for the requests in flight (their events are committed
 * before they are answered). Keep-alive connections are closed as soon as they are idle, so a
 * busy client cannot hold the server open; after the grace period the rest are cut.
 */
function stopListening(server: ReturnType<typeof serve>): Promise<void> {
  const http = server as Partial<{ closeIdleConnections(): void; closeAllConnections(): void }>;
  return new Promise<void>((resolve) => {
    const idle = setInterval(() => http.closeIdleConnections?.(), 50);
    const cut = setTimeout(() => http.closeAllConnections?.(), DRAIN_GRACE_MS);
    server.close(() => {
      clearInterval(idle);
      clearTimeout(cut);
      resolve();
    });
    http.closeIdleConnections?.();
  });
}
