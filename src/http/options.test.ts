import { describe, expect, it } from 'vitest';
import { createHttpTripmeter, InvalidOptionError } from './index.js';

const endpoint = 'https://telemetry.example.com';
const key = 'tm_ingest_abc';

/** The error `create` throws, or a failure when it throws none. */
function refusal(create: () => unknown): InvalidOptionError {
  try {
    create();
  } catch (error) {
    if (error instanceof InvalidOptionError) return error;
    throw error;
  }
  throw new Error('no InvalidOptionError was thrown');
}

describe('createHttpTripmeter refuses a configuration that can never work', () => {
  it.each([
    ['endpoint', { endpoint: 'not a url' }],
    ['endpoint', { endpoint: '' }],
    ['endpoint', { endpoint: 'telemetry.example.com' }],
    ['endpoint', { endpoint: 'ftp://telemetry.example.com' }],
    ['endpoint', { endpoint: 'https://user:secret@telemetry.example.com' }],
    ['endpoint', { endpoint: 'https://telemetry.example.com/?key=1' }],
    ['endpoint', { endpoint: undefined }],
    ['key', { key: '' }],
    ['key', { key: undefined }],
    ['key', { key: 'tm_ingest_abc\n' }],
    ['key', { key: 'two words' }],
    ['timeoutMs', { timeoutMs: 0 }],
    ['timeoutMs', { timeoutMs: Number.NaN }],
    ['fetch', { fetch: 'fetch' }],
    ['batchSize', { batchSize: 0 }],
    ['batchSize', { batchSize: 2.5 }],
    ['maxQueue', { maxQueue: -1 }],
    ['concurrency', { concurrency: 0 }],
    ['flushIntervalMs', { flushIntervalMs: 2 ** 31 }],
    ['flushIntervalMs', { flushIntervalMs: '1000' }],
    ['overflow', { overflow: 'drop-all' }],
    ['notesPolicy', { notesPolicy: 'keep' }],
    ['retry', { retry: 5 }],
    ['retry.maxMs', { retry: { maxMs: Number.POSITIVE_INFINITY } }],
    ['retry.baseMs', { retry: { baseMs: 0 } }],
    ['logger', { logger: { info() {} } }],
    ['now', { now: 0 }],
  ])('%s: %j', (option, bad) => {
    const error = refusal(() => createHttpTripmeter({ endpoint, key, ...(bad as object) }));
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.option).toBe(option);
    expect(error.message).toMatch(new RegExp(`^tripmeter: option ${option.replace('.', '\\.')} must be `));
  });

  it('names what is expected, and never shows a long value in full', () => {
    const error = refusal(() => createHttpTripmeter({ endpoint: 'not a url', key: '' }));
    expect(error.message).toBe(
      'tripmeter: option endpoint must be an absolute http:// or https:// URL without credentials, query or fragment; got "not a url"',
    );
    const long = refusal(() => createHttpTripmeter({ endpoint, key: `${'k'.repeat(60)} x` }));
    expect(long.message).not.toContain('k'.repeat(41));
  });

  it('accepts a valid configuration, which sends as before', async () => {
    const posted: string[] = [];
    const fetch = (async (url: string) => {
      posted.push(url);
      return new Response(JSON.stringify({ accepted: 2, duplicates: 0 }), { status: 202 });
    }) as unknown as typeof globalThis.fetch;
    const tracker = createHttpTripmeter({
      endpoint: 'http://localhost:8787/base/',
      key,
      fetch,
      timeoutMs: 5_000,
      batchSize: 2,
      maxQueue: 10,
      concurrency: 1,
      flushIntervalMs: 0,
      overflow: 'drop-newest',
      notesPolicy: 'summary',
      retry: { baseMs: 10, maxMs: 100, maxRetryAfterMs: 0 },
      logger: console,
      now: Date.now,
    });
    tracker.startAttempt({ anonSessionId: '0190a3c4-5b6d-7e8f-9a0b-1c2d3e4f5a6b' }).succeed();
    await tracker.flush();
    expect(tracker.stats()).toMatchObject({ written: 2, rejected: 0 });
    expect(posted[0]).toBe('http://localhost:8787/base/v1/events');
  });
});
