/**
 * `tripmeter serve`: the HTTP app (ingest, admin, metrics, alerts, dashboard, OpenAPI,
 * Prometheus) and the service around it (database, group-commit writer, jobs, graceful stop).
 */
export { createApp } from './app.js';
export type { AppDeps } from './deps.js';
export { type Service, type ServiceOptions, startService } from './service.js';
