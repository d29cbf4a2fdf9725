/**
 * The app process: the page, a fake Supabase auth, and the enqueue function behind one HTTP
 * server (Netlify serves the same three in the real app). Started by `npm run example`; stops
 * on SIGTERM/SIGINT after sending what its tracker holds.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { build } from 'esbuild';
import { createHttpTripmeter } from 'tripmeter/http';
import { issueSession } from './auth.js';
import { enqueueTrip, type FunctionContext } from './enqueue-trip.js';
import { isRequestId, openQueue, outcomeOf } from './queue.js';
import { CLIENT_EVENT_PREFIXES, readEnv } from './settings.js';

const env = readEnv(['TRIPMETER_URL', 'TRIPMETER_INGEST_KEY', 'TRIPMETER_SITE_KEY', 'QUEUE_DIR', 'PORT']);
const tripmeter = createHttpTripmeter({ endpoint: env.TRIPMETER_URL, key: env.TRIPMETER_INGEST_KEY });
await openQueue(env.QUEUE_DIR);

const here = new URL('.', import.meta.url);
const config = {
  endpoint: env.TRIPMETER_URL,
  siteKey: env.TRIPMETER_SITE_KEY,
  prefixes: CLIENT_EVENT_PREFIXES,
};
const html = (await readFile(new URL('page/index.html', here), 'utf8')).replace(
  '__CONFIG__',
  JSON.stringify(config).replaceAll('<', '\\u003c'),
);
// The page bundled once at start; `tripmeter/client` resolves through tsconfig.json's paths.
const bundle = await build({
  entryPoints: [new URL('page/main.ts', here).pathname],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  write: false,
  logLevel: 'warning',
});
const pageJs = bundle.outputFiles[0]!.text;

type Handler = (request: Request, context: FunctionContext) => Promise<Response> | Response;
const text = (body: string, type: string) => new Response(body, { headers: { 'content-type': type } });
const routes: Record<string, Handler> = {
  'GET /': () => text(html, 'text/html; charset=utf-8'),
  'GET /page.js': () => text(pageJs, 'text/javascript'),
  'POST /auth/v1/anonymous': async () => Response.json(await issueSession(true)),
  'POST /auth/v1/sign-in': async () => Response.json(await issueSession(false)),
  'POST /api/enqueue-trip': enqueueTrip(tripmeter, env.QUEUE_DIR),
  'GET /api/trip-status': async (request) => {
    const requestId = new URL(request.url).searchParams.get('requestId') ?? '';
    const outcome = isRequestId(requestId) ? await outcomeOf(env.QUEUE_DIR, requestId) : undefined;
    return outcome ? Response.json(outcome) : new Response(null, { status: 404 });
  },
};

/** Node's request as a Web `Request` (what a Netlify function receives), and the answer back. */
async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers))
    if (typeof value === 'string') headers.set(name, value);
  const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
  const request = new Request(url, { method: req.method, headers, body });
  const route = routes[`${req.method} ${url.pathname}`];
  const context: FunctionContext = { waitUntil: (promise) => void promise.catch(() => {}) };
  const response = route ? await route(request, context) : new Response('not found', { status: 404 });
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

const server = createServer((req, res) =>
  serve(req, res).catch((error) => {
    console.error(error);
    res.writeHead(500).end();
  }),
);
server.listen(Number(env.PORT), '127.0.0.1', () =>
  console.log(`travel-app listening on http://127.0.0.1:${env.PORT}`),
);
for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.once(signal, async () => {
    server.close();
    server.closeAllConnections();
    await tripmeter.shutdown(5_000);
  });
