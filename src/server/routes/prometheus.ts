import { createHash, timingSafeEqual } from 'node:crypto';
import type { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { requireScope } from '../../auth/index.js';
import type { AppDeps } from '../deps.js';
import { renderPrometheus } from '../prometheus/index.js';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
const digest = (value: string) => createHash('sha256').update(value).digest();

/** Whether `presented` is the scrape token (constant time: both sides are hashed first). */
function isMetricsToken(presented: string | undefined, token: string | undefined): boolean {
  if (presented === undefined || token === undefined) return false;
  return timingSafeEqual(digest(presented), digest(token));
}

/**
 * `GET /metrics` in Prometheus text format, for an admin key or the `metricsToken` setting sent
 * as `Authorization: Bearer`: ingest counters, writer queue depth, database write latency, job
 * runs and failures.
 */
export function prometheusRoute(app: Hono, deps: AppDeps): void {
  const admin = requireScope('admin', deps);
  const guard = createMiddleware(async (c, next) => {
    const presented = BEARER.exec(c.req.header('authorization') ?? '')?.[1];
    if (isMetricsToken(presented, deps.config.metricsToken)) return next();
    return admin(c as Parameters<typeof admin>[0], next);
  });
  app.get('/metrics', guard, (c) => {
    const writer = deps.ingestWriter;
    const body = renderPrometheus({
      ingest: writer ? { stats: writer.stats, pending: writer.pending } : undefined,
      dbLatency: deps.dbLatency,
      jobs: deps.scheduler?.stats,
      otlp: deps.otlpStats,
    });
    return c.body(body, 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
}
