import { Hono } from 'hono';
import { errorCodeOf } from '../domain/index.js';
import { OtlpStats } from '../otlp/index.js';
import { ProblemError, problemResponse } from '../web/index.js';
import type { AppDeps } from './deps.js';
import { RateLimits } from './rate-limit/index.js';
import { alertsRoute } from './routes/alerts.js';
import { attemptsRoutes } from './routes/attempts.js';
import { clientEventsRoute } from './routes/client-events.js';
import { clientIdentifyRoute } from './routes/client-identify.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { eventsRoute } from './routes/events.js';
import { healthzRoute } from './routes/healthz.js';
import { identifyRoute } from './routes/identify.js';
import { metricsRoutes } from './routes/metrics.js';
import { openApiRoute } from './routes/openapi.js';
import { prometheusRoute } from './routes/prometheus.js';
import { subjectsRoutes } from './routes/subjects.js';
import { tracesRoute } from './routes/traces.js';

/**
 * The HTTP app of `tripmeter serve`, without a listening socket: tests call `app.request()`.
 * Every error leaves as `application/problem+json` with a stable code and no stack trace.
 */
export function createApp(appDeps: AppDeps): Hono {
  const rateLimits = appDeps.rateLimits ?? new RateLimits(appDeps.config);
  const deps = { ...appDeps, rateLimits, otlpStats: appDeps.otlpStats ?? new OtlpStats() };
  const app = new Hono();
  app.use('*', rateLimits.addressMiddleware());
  healthzRoute(app, deps);
  openApiRoute(app);
  prometheusRoute(app, deps);
  identifyRoute(app, deps);
  subjectsRoutes(app, deps);
  metricsRoutes(app, deps);
  attemptsRoutes(app, deps);
  dashboardRoutes(app, deps);
  clientEventsRoute(app, deps);
  clientIdentifyRoute(app, deps);
  eventsRoute(app, deps);
  tracesRoute(app, deps);
  alertsRoute(app, deps);
  app.notFound((c) =>
    problemResponse(c, new ProblemError(404, 'NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`)),
  );
  app.onError((error, c) => {
    if (error instanceof ProblemError) return problemResponse(c, error);
    // The type and code only: a database error's message can echo the data it refused.
    deps.logger.error({ err: { type: error.name, code: errorCodeOf(error) } }, 'request failed');
    return problemResponse(c, new ProblemError(500, 'INTERNAL', 'the service failed to handle this request'));
  });
  return app;
}
