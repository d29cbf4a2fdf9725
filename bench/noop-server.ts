import { serve } from '@hono/node-server';
import { Hono } from 'hono';

/** The do-nothing baseline of the HTTP ingest bench: parses nothing, answers 202 at once. */
const app = new Hono();
app.post('/noop', (c) => c.json({ accepted: 1 }, 202));
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
  console.log(`noop listening on http://127.0.0.1:${info.port}`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
