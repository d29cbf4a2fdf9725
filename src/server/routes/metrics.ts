import type { Context, Hono } from 'hono';
import { requireScope } from '../../auth/index.js';
import {
  defaultBucket,
  getFailures,
  getFunnel,
  getModels,
  getRetries,
  getSummary,
  getTimeseries,
  getVersions,
} from '../../metrics/index.js';
import type { AppDeps } from '../deps.js';
import { generationMetricsRoutes } from './generation-metrics.js';
import { parseMetricsParams } from './metrics-params.js';

/**
 * `GET /v1/metrics/summary|timeseries|failures|models|versions|funnel|retries` (admin key):
 * parse the query (`from`, `to`, `provider`, `model`, `prompt_contract_version`, `source`, `flow`,
 * `bucket`, `min_volume`, `window_minutes`), run one query, answer JSON.
 */
export function metricsRoutes(app: Hono, deps: AppDeps): void {
  const params = (c: Context) => parseMetricsParams(c.req.url, deps.now());
  app.use('/v1/metrics/*', requireScope('admin', deps));
  app.get('/v1/metrics/summary', async (c) => c.json(await getSummary(deps.database, params(c).query)));
  app.get('/v1/metrics/timeseries', async (c) => {
    const { query, bucket } = params(c);
    return c.json(await getTimeseries(deps.database, query, bucket ?? defaultBucket(query.from, query.to)));
  });
  app.get('/v1/metrics/failures', async (c) => c.json(await getFailures(deps.database, params(c).query)));
  app.get('/v1/metrics/models', async (c) => {
    const { query, minVolume } = params(c);
    return c.json(await getModels(deps.database, query, minVolume));
  });
  app.get('/v1/metrics/versions', async (c) => c.json(await getVersions(deps.database, params(c).query)));
  app.get('/v1/metrics/funnel', async (c) => {
    const { query, windowMinutes } = params(c);
    return c.json(await getFunnel(deps.database, query, windowMinutes));
  });
  app.get('/v1/metrics/retries', async (c) => {
    const { query, windowMinutes } = params(c);
    return c.json(await getRetries(deps.database, query, windowMinutes));
  });
  generationMetricsRoutes(app, deps);
}
