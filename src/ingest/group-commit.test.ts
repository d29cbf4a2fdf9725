import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../domain/index.js';
import { recordKey, type Sink, TransientSinkError } from '../tracker/sink.js';
import { GroupCommitWriter, StorageUnavailableError } from './group-commit.js';

const event = (requestId: string): TelemetryEvent => ({
  id: requestId,
  type: 'create_trip_attempted',
  requestId,
  occurredAt: new Date(0),
  source: 'app',
});

describe('GroupCommitWriter', () => {
  it('without per-event outcomes, writes each submission on its own, at most maxConcurrent at once, with exact numbers', async () => {
    let inflight = 0;
    let peak = 0;
    const seen = new Set<string>();
    const sink: Sink = {
      async write(events) {
        inflight++;
        peak = Math.max(peak, inflight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inflight--;
        let written = 0;
        for (const e of events) {
          if (seen.has(e.requestId)) continue;
          seen.add(e.requestId);
          written++;
        }
        return { written, duplicates: events.length - written };
      },
    };
    const writer = new GroupCommitWriter({ sink, maxConcurrent: 3 });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => writer.submit([event(`r${i}`), event(`r${i}`)])),
    );
    expect(peak).toBe(3);
    expect(results[0]).toEqual({ accepted: 1, duplicates: 1 });
    expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(10);
    expect(results.reduce((n, r) => n + r.duplicates, 0)).toBe(10);
  });

  it('merges waiting submissions into one write and gives each its exact numbers', async () => {
    const calls: number[] = [];
    const stored = new Set<string>();
    let inflight = 0;
    let peak = 0;
    const sink: Sink = {
      reportsInserted: true,
      async write(events) {
        calls.push(events.length);
        inflight++;
        peak = Math.max(peak, inflight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inflight--;
        const inserted = new Set<string>();
        for (const e of events) {
          const key = recordKey(e);
          if (stored.has(key)) continue;
          stored.add(key);
          inserted.add(key);
        }
        return { written: inserted.size, duplicates: events.length - inserted.size, inserted };
      },
    };
    const writer = new GroupCommitWriter({ sink, maxConcurrent: 2, maxBatchEvents: 100 });
    stored.add(recordKey(event('r0'))); // r0 was stored before
    const results = await Promise.all(
      // r1 appears in two submissions of the same merged write: only the first gets it
      Array.from({ length: 20 }, (_, i) => writer.submit([event(`r${i}`), event(i === 5 ? 'r1' : `s${i}`)])),
    );
    expect(peak).toBeLessThanOrEqual(2);
    expect(calls.length).toBeLessThan(20); // merged
    expect(results[0]).toEqual({ accepted: 1, duplicates: 1 }); // r0 known, s0 new
    expect(results[1]).toEqual({ accepted: 2, duplicates: 0 });
    expect(results[5]).toEqual({ accepted: 1, duplicates: 1 }); // r5 new, r1 already counted
    expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(stored.size - 1);
  });

  it('retries a refused merge one submission at a time, so only the bad one fails', async () => {
    const sink: Sink = {
      reportsInserted: true,
      async write(events) {
        await new Promise((resolve) => setTimeout(resolve, 2));
        if (events.some((e) => e.requestId === 'bad'))
          throw Object.assign(new Error('22P02'), { code: '22P02' });
        const inserted = new Set(events.map(recordKey));
        return { written: inserted.size, duplicates: 0, inserted };
      },
    };
    const writer = new GroupCommitWriter({ sink, maxConcurrent: 1 });
    const outcomes = await Promise.allSettled(['a', 'b', 'bad', 'c'].map((r) => writer.submit([event(r)])));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
  });

  it('retries transient failures within the deadline, then refuses with StorageUnavailableError', async () => {
    let clock = 0;
    let failures = 2;
    const sink: Sink = {
      async write(events) {
        if (failures-- > 0) throw new TransientSinkError('down', 'ECONNREFUSED');
        return { written: events.length, duplicates: 0 };
      },
    };
    const sleep = async (ms: number) => {
      clock += ms;
    };
    const writer = new GroupCommitWriter({ sink, now: () => clock, sleep, deadlineMs: 1_000 });
    expect(await writer.submit([event('a')])).toEqual({ accepted: 1, duplicates: 0 });
    failures = Number.POSITIVE_INFINITY;
    await expect(writer.submit([event('b')])).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(clock).toBeLessThan(2_000);
  });

  it('passes refusals through untouched', async () => {
    const writer = new GroupCommitWriter({
      sink: {
        async write() {
          throw new Error('check constraint');
        },
      },
    });
    await expect(writer.submit([event('a')])).rejects.toThrow('check constraint');
  });

  it('close() waits for accepted submissions and refuses new ones', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const writer = new GroupCommitWriter({
      sink: {
        async write(events) {
          await gate;
          return { written: events.length, duplicates: 0 };
        },
      },
      maxConcurrent: 1,
    });
    const first = writer.submit([event('a')]);
    const second = writer.submit([event('b')]);
    let closed = false;
    const closing = writer.close().then(() => {
      closed = true;
    });
    await expect(writer.submit([event('c')])).rejects.toBeInstanceOf(StorageUnavailableError);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(closed).toBe(false);
    release();
    await closing;
    expect(await first).toEqual({ accepted: 1, duplicates: 0 });
    expect(await second).toEqual({ accepted: 1, duplicates: 0 });
    expect(writer.pending).toBe(0);
  });
});
