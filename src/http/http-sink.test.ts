import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../domain/events.js';
import { TransientSinkError } from '../tracker/sink.js';
import { HttpSink, HttpSinkError, retryAfterMs } from './http-sink.js';
import { createHttpTripmeter } from './index.js';

type Call = { url: string; headers: Record<string, string>; events: Record<string, unknown>[] };

/** A fake `fetch` that records requests and answers with `answer(events)`. */
function fakeFetch(answer: (events: Record<string, unknown>[]) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    const events = JSON.parse(String(init.body)).events as Record<string, unknown>[];
    calls.push({ url, headers: init.headers as Record<string, string>, events });
    return answer(events);
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const event: TelemetryEvent = {
  id: '0190a7e2-0000-7000-8000-000000000000',
  type: 'create_trip_failed',
  requestId: 'r1',
  occurredAt: new Date('2026-11-25T10:00:00Z'),
  errorCode: 'RATE_LIMITED',
  failureKind: 'rate_limited',
  httpStatus: 429,
  durationMs: 12,
  source: 'app',
  fingerprint: 'abcdefgh',
};

describe('HttpSink', () => {
  it('posts snake_case batches with the bearer key and reads the numbers of a 202', async () => {
    const { fetch, calls } = fakeFetch(() => json(202, { accepted: 1, duplicates: 0 }));
    const sink = new HttpSink({ endpoint: 'https://t.example.com/', key: 'tm_ingest_x', fetch });
    expect(await sink.write([event])).toEqual({ written: 1, duplicates: 0 });
    expect(calls[0]!.url).toBe('https://t.example.com/v1/events');
    expect(calls[0]!.headers).toMatchObject({ authorization: 'Bearer tm_ingest_x' });
    expect(calls[0]!.events).toEqual([
      {
        type: 'create_trip_failed',
        request_id: 'r1',
        occurred_at: '2026-11-25T10:00:00.000Z',
        error_code: 'RATE_LIMITED',
        http_status: 429,
        duration_ms: 12,
        source: 'app',
      },
    ]);
  });

  it('treats network errors, 5xx and 429 as transient and honours Retry-After', async () => {
    let clock = 0;
    let answer: () => Response = () => json(503, { code: 'STORAGE_UNAVAILABLE' }, { 'retry-after': '2' });
    const { fetch, calls } = fakeFetch(() => answer());
    const sink = new HttpSink({ endpoint: 'http://x', key: 'k', fetch, now: () => clock });
    await expect(sink.write([event])).rejects.toBeInstanceOf(TransientSinkError);
    clock += 2_000; // the Retry-After has passed: the next write goes out at once
    answer = () => json(429, {});
    await expect(sink.write([event])).rejects.toMatchObject({ causeCode: 'HTTP_429' });
    const down = new HttpSink({
      endpoint: 'http://x',
      key: 'k',
      fetch: (async () => {
        throw new TypeError('fetch failed');
      }) as unknown as typeof globalThis.fetch,
    });
    await expect(down.write([event])).rejects.toMatchObject({
      name: 'TransientSinkError',
      causeCode: 'NETWORK',
    });
    expect(calls).toHaveLength(2);
    expect(retryAfterMs('3', 0)).toBe(3_000);
    expect(retryAfterMs(new Date(5_000).toUTCString(), 0)).toBe(5_000);
    expect(retryAfterMs('soon', 0)).toBe(0);
  });

  it('refuses for good on other 4xx, and pauses after a 401 instead of sending every record', async () => {
    const { fetch, calls } = fakeFetch(() => json(401, { code: 'UNAUTHORIZED' }));
    const sink = new HttpSink({ endpoint: 'http://x', key: 'bad', fetch });
    await expect(sink.write([event])).rejects.toEqual(new HttpSinkError(401, 'UNAUTHORIZED'));
    await expect(sink.write([event])).rejects.toBeInstanceOf(HttpSinkError);
    expect(calls).toHaveLength(1);
  });
});

describe('createHttpTripmeter', () => {
  it('halves a batch the server finds too large, and isolates a record it refuses', async () => {
    const { fetch, calls } = fakeFetch((events) => {
      if (events.length > 4) return json(413, { code: 'BODY_TOO_LARGE' });
      if (events.some((e) => e.request_id === 'bad')) return json(422, { code: 'INVALID_EVENTS' });
      return json(202, { accepted: events.length, duplicates: 0 });
    });
    const tracker = createHttpTripmeter({ endpoint: 'http://x', key: 'k', fetch });
    for (let i = 0; i < 10; i++) tracker.startAttempt({ requestId: i === 3 ? 'bad' : `r${i}` }).succeed();
    await tracker.flush();
    expect(tracker.stats()).toMatchObject({ written: 18, rejected: 2, dropped: 0, queued: 0 });
    expect(Math.max(...calls.map((c) => c.events.length))).toBe(20);
    expect(await tracker.shutdown(1_000)).toBe(0);
  });
});

describe('createHttpTripmeter with the app’s start', () => {
  it('sends the app’s start time as the attempted event’s occurred_at, and the flow', async () => {
    const { fetch, calls } = fakeFetch((events) => json(202, { accepted: events.length, duplicates: 0 }));
    const now = Date.parse('2026-09-12T08:14:05.000Z');
    const tracker = createHttpTripmeter({ endpoint: 'http://x', key: 'k', fetch, now: () => now });
    tracker
      .startAttempt({ requestId: 'r1', flow: 'wizard', startedAt: '2026-09-12T08:14:03.498Z' })
      .succeed();
    await tracker.flush();
    expect(calls[0]!.events).toMatchObject([
      { type: 'create_trip_attempted', occurred_at: '2026-09-12T08:14:03.498Z', flow: 'wizard' },
      { type: 'create_trip_succeeded', occurred_at: '2026-09-12T08:14:05.000Z', duration_ms: 1_502 },
    ]);
  });
});
