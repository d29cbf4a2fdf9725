import type { Hono } from 'hono';

/** Routes that need no key by design (the dashboard's page and assets ask for the key themselves). */
export const PUBLIC_ROUTES: ReadonlySet<string> = new Set([
  'GET /healthz',
  'GET /openapi.json',
  'GET /',
  'GET /dashboard/app.js',
  'GET /dashboard/app.css',
]);

/** The dashboard's static files (not API operations, so not in the OpenAPI document). */
export const STATIC_ROUTES: ReadonlySet<string> = new Set([
  'GET /',
  'GET /dashboard/app.js',
  'GET /dashboard/app.css',
]);

/** The registered routes of an app as `{ method, path }`, without middleware and CORS preflights. */
export function registeredRoutes(app: Hono): { method: string; path: string }[] {
  const seen = new Set<string>();
  const out: { method: string; path: string }[] = [];
  for (const route of app.routes) {
    if (route.method === 'ALL' || route.method === 'OPTIONS') continue;
    const id = `${route.method} ${route.path}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ method: route.method, path: route.path });
  }
  return out;
}
