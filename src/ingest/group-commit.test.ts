import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../domain/index.js';
import { type Sink, TransientSinkError } from '../write/sink.js';
import { GroupCommitWriter, StorageUnavailableError } from './group-commit.js';

const event = (requestId: string): TelemetryEvent => ({
  id: requestId,
  type: 'create_trip_attempted',
  requestId,
  occurredAt: new Date(0),
  source: 'app',
});

describe('GroupCommitWriter', () => {
  it('writes each submission as its own sink call, at most maxConcurrent at once, with exact numbers', async () => {
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
