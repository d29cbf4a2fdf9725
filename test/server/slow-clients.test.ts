import { mkdtempSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { type ServeProcess, startServeProcess } from '../support/serve-process.js';

const ORIGIN = 'https://app.example.com';
/** Timeouts set low by configuration, so each deadline passes in about a second. */
const ENV = {
  TRIPMETER_HEADERS_TIMEOUT_MS: '1000',
  TRIPMETER_REQUEST_TIMEOUT_MS: '2000',
  TRIPMETER_KEEP_ALIVE_TIMEOUT_MS: '300',
  TRIPMETER_MAX_CONNECTIONS: '8',
};

/** A raw connection and everything the server sends on it until it closes. */
interface Raw {
  socket: Socket;
  /** Resolves with all bytes received (latin1) once the server closed the connection. */
  closed: Promise<string>;
  /** Writes one byte every `everyMs` until the connection closes. */
  trickle(text: string, everyMs?: number): void;
}

function open(url: string): Promise<Raw> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let data = '';
    let timer: NodeJS.Timeout | undefined;
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      data += chunk;
    });
    const closed = new Promise<string>((done) =>
      socket.on('close', () => {
        clearInterval(timer);
        done(data);
      }),
    );
    socket.on('error', () => {}); // a reset is a close, as far as these tests care
    socket.once('connect', () =>
      resolve({
        socket,
        closed,
        trickle(text, everyMs = 100) {
          let i = 0;
          timer = setInterval(() => {
            if (socket.destroyed || socket.writableEnded) return clearInterval(timer);
            socket.write(text[i % text.length]!);
            i++;
          }, everyMs);
        },
      }),
    );
    socket.once('error', reject);
  });
}

/** The status, headers (lower-case names) and body of the first response in `raw`. */
function parse(raw: string) {
  const end = raw.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = raw.slice(0, end).split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => [
      line.slice(0, line.indexOf(':')).toLowerCase(),
      line.slice(line.indexOf(':') + 1).trim(),
    ]),
  );
  const body = raw.slice(end + 4, end + 4 + Number(headers['content-length'] ?? 0));
  return { status: Number(statusLine?.split(' ')[1]), headers, body };
}

function expectProblem(raw: string, status: number, code: string) {
  const response = parse(raw);
  expect(response.status, raw.slice(0, 300)).toBe(status);
  expect(response.headers['content-type']).toBe('application/problem+json');
  expect(JSON.parse(response.body)).toMatchObject({ status, code });
}

describe('slow and hostile clients against a real serve (timeouts set low by configuration)', () => {
  let serve: ServeProcess;
  let ingestKey: string;

  beforeAll(async () => {
    const dataDir = join(mkdtempSync('/tmp/tripmeter-slow-'), 'pgdata');
    expect((await cli(['migrate', '--data-dir', dataDir])).code).toBe(0);
    const created = await cli(['keys', 'create', '--scope', 'ingest', '--data-dir', dataDir]);
    ingestKey = created.stdout.trim().split(/\s+/).at(-1)!;
    const site = await cli(['keys', 'create', '--scope', 'site', '--origin', ORIGIN, '--data-dir', dataDir]);
    expect(site.code, site.stderr).toBe(0);
    serve = await startServeProcess(['--data-dir', dataDir], 60_000, ENV);
  }, 120_000);

  afterAll(async () => {
    await serve?.stop();
  });

  it('answers 408 problem+json to a connection that sends nothing, and closes it', async () => {
    const raw = await open(serve.url);
    expectProblem(await raw.closed, 408, 'REQUEST_TIMEOUT');
  });

  it('answers 408 problem+json to headers trickled past the headers timeout', async () => {
    const raw = await open(serve.url);
    raw.socket.write(`POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ingestKey}\r\nX-Slow: `);
    raw.trickle('a');
    expectProblem(await raw.closed, 408, 'REQUEST_TIMEOUT');
  });

  it('answers 408 problem+json to a body trickled past the request timeout', async () => {
    const raw = await open(serve.url);
    raw.socket.write(
      `POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ingestKey}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"type":"create_trip_attempted","request_id":"',
    );
    raw.trickle('x');
    expectProblem(await raw.closed, 408, 'REQUEST_TIMEOUT');
  });

  it('refuses a bad key on every POST route before reading the body, and closes the connection', async () => {
    const bad = (scope: string) => `Bearer tm_${scope}_${'x'.repeat(43)}`;
    const cases: [string, Record<string, string>, number, string][] = [
      ['/v1/events', { Authorization: bad('ingest') }, 401, 'UNAUTHORIZED'],
      ['/v1/identify', { Authorization: bad('ingest') }, 401, 'UNAUTHORIZED'],
      ['/v1/client-events', { Authorization: bad('site'), Origin: ORIGIN }, 401, 'UNAUTHORIZED'],
      ['/v1/client-events', { Origin: 'https://evil.example' }, 403, 'ORIGIN_NOT_ALLOWED'],
    ];
    for (const [path, headers, status, code] of cases) {
      const raw = await open(serve.url);
      const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
      // A body announced but never sent whole: only an answer before reading it comes back as 401/403.
      raw.socket.write(
        `POST ${path} HTTP/1.1\r\nHost: x\r\n${lines.join('')}Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n{`,
      );
      raw.trickle(' ');
      expectProblem(await raw.closed, status, code);
    }
  });

  it('answers 431 problem+json to headers larger than Node accepts, 400 to malformed HTTP', async () => {
    const huge = await open(serve.url);
    huge.socket.write(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expectProblem(await huge.closed, 431, 'HEADERS_TOO_LARGE');
    const garbage = await open(serve.url);
    garbage.socket.write('HELLO THERE\r\n\r\n');
    expectProblem(await garbage.closed, 400, 'MALFORMED_REQUEST');
  });

  it('closes an idle keep-alive connection after a request', async () => {
    const raw = await open(serve.url);
    raw.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    const received = await raw.closed;
    expect(parse(received).status).toBe(200);
    expect(received.match(/HTTP\/1\.1 /g)).toHaveLength(1); // closed silently, no 408 after it
  });

  it('holds at most maxConnections: the next one is closed at once, unanswered', async () => {
    const held = await Promise.all(Array.from({ length: 8 }, () => open(serve.url)));
    const extra = await open(serve.url);
    expect(await extra.closed).toBe('');
    // The held ones were accepted: they get the headers timeout's answer.
    for (const raw of held) expectProblem(await raw.closed, 408, 'REQUEST_TIMEOUT');
    // And the server takes new connections again.
    const after = await fetch(`${serve.url}/healthz`);
    expect(after.status).toBe(200);
  });
});
