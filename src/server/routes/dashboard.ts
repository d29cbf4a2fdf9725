import type { Context, Hono } from 'hono';
import { ProblemError } from '../../web/index.js';
import { type DashboardAssets, loadDashboardAssets } from '../dashboard-assets.js';
import type { AppDeps } from '../deps.js';

/** Security headers of every dashboard response: no inline script, no framing, no sniffing. */
export const DASHBOARD_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
} as const;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tripmeter</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/dashboard/app.css">
<script src="/dashboard/app.js" defer></script>
</head>
<body>
<noscript>The tripmeter dashboard needs JavaScript.</noscript>
<div id="app"></div>
</body>
</html>
`;

/**
 * The dashboard at `/`: the page, `/dashboard/app.js` and `/dashboard/app.css`, all served by the
 * service (no CDN) and needing no key; the page asks for the admin key and calls `/v1/metrics/…`.
 */
export function dashboardRoutes(app: Hono, deps: AppDeps): void {
  let assets: Promise<DashboardAssets> | undefined;
  const load = () => {
    assets ??= loadDashboardAssets().catch((error: unknown) => {
      assets = undefined;
      deps.logger.error({ err: { message: (error as Error).message } }, 'dashboard assets unavailable');
      throw new ProblemError(503, 'DASHBOARD_UNAVAILABLE', 'the dashboard is not built: run npm run build');
    });
    return assets;
  };
  const send = (c: Context, body: string, type: string) =>
    c.body(body, 200, { 'Content-Type': type, 'Cache-Control': 'no-cache', ...DASHBOARD_HEADERS });
  app.get('/', (c) => send(c, PAGE, 'text/html; charset=utf-8'));
  app.get('/dashboard/app.js', async (c) => send(c, (await load()).js, 'text/javascript; charset=utf-8'));
  app.get('/dashboard/app.css', async (c) => send(c, (await load()).css, 'text/css; charset=utf-8'));
}
