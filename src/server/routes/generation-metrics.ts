import type { Context, Hono } from 'hono';
import { getCalls, getCost, getPhases, getQueue, getStuck } from '../../metrics/index.js';
import type { AppDeps } from '../deps.js';
import { generationMetricsParamsSchema, parseMetricsParams } from './metrics-params.js';

/**
 * `GET /v1/metrics/cost|calls|phases|queue|stuck` (admin key, checked by the `/v1/metrics/*`
 * guard of `metricsRoutes`): parse the range and filters (`from`, `to`, `provider`, `model`,
 * `prompt_contract_version`, `source`, `flow`), run one metric, answer JSON. Shapes:
 * `generation-metrics-schemas.ts` and docs/http-api.md.
 */
export function generationMetricsRoutes(app: Hono, deps: AppDeps): void {
  const query = (c: Context) =>
    parseMetricsParams(c.req.url, deps.now(), generationMetricsParamsSchema).query;
  app.get('/v1/metrics/cost', async (c) => c.json(await getCost(deps.database, query(c))));
  app.get('/v1/metrics/calls', async (c) => c.json(await getCalls(deps.database, query(c))));
  app.get('/v1/metrics/phases', async (c) => c.json(await getPhases(deps.database, query(c))));
  app.get('/v1/metrics/queue', async (c) => c.json(await getQueue(deps.database, query(c))));
  app.get('/v1/metrics/stuck', async (c) => {
    const { from: _from, to: _to, ...filter } = query(c);
    return c.json(await getStuck(deps.database, filter, deps.now(), deps.config.generationTimeoutMs));
  });
}
