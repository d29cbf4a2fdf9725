import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A file the server returns for GET `path`, optionally after a delay. */
export interface StaticFile {
  type: string;
  body: string;
  delayMs?: number;
}

/** One request the server saw (every method, every path). */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A running server on 127.0.0.1 with a random port. */
export interface StaticServer {
  /** Origin, e.g. `http://127.0.0.1:41234`. */
  url: string;
  requests: RecordedRequest[];
  /** Resolves with the first recorded request matching `match` (polls every 20 ms). */
  waitForRequest(match: (request: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  close(): Promise<void>;
}

/**
 * Serves `files` for GET and answers every other request `204`, recording all of them with
 * their headers and body, so browser tests can assert what the page sent.
 *
 * @example
 * const server = await startStaticServer({ '/': { type: 'text/html', body: '<p>hi</p>' } });
 */
export async function startStaticServer(files: Record<string, StaticFile>): Promise<StaticServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body });
      const file = req.method === 'GET' ? files[path] : undefined;
      if (req.method === 'GET' && !file) return void res.writeHead(404).end();
      if (!file) return void res.writeHead(204).end();
      setTimeout(() => {
        res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
      }, file.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async waitForRequest(match, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = requests.find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error('timed out waiting for a request to the test server');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
