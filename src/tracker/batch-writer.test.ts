import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TelemetryEvent } from '../domain/index.js';
import { isTransientDatabaseError } from '../store/transient.js';
import { backoffDelay } from './backoff.js';
import { BatchWriter, type WriterOptions } from './batch-writer.js';
import { type Sink, type SinkResult, TransientSinkError } from './sink.js';
import { emptyStats, OnceLogger } from './stats.js';

/** An in-memory sink: records every call, can be taken down, refuses a poisoned request id. */
class MemorySink implements Sink {
  readonly calls: string[][] = [];
  readonly stored: string[] = [];
  /** Transient failures still to throw (`Infinity`: down for good). */
  failures = 0;
  poison: string | undefined;
  /** When set, each write waits for it (to hold a flush in flight). */
  gate: Promise<void> | undefined;

  async write(events: TelemetryEvent[]): Promise<SinkResult> {
    this.calls.push(events.map((e) => e.requestId));
    await this.gate;
    if (this.failures > 0) {
      this.failures--;
      throw new TransientSinkError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED');
    }
    if (this.poison !== undefined && events.some((e) => e.requestId === this.poison)) {
      throw Object.assign(new Error('invalid input syntax for type uuid'), { code: '22P02' });
    }
    let written = 0;
    for (const event of events) {
      if (this.stored.includes(event.requestId)) continue;
      this.stored.push(event.requestId);
      written++;
    }
    return { written, duplicates: events.length - written };
  }
}

const event = (requestId: string): TelemetryEvent => ({
  id: `id-${requestId}`,
  type: 'create_trip_attempted',
  requestId,
  occurredAt: new Date('2026-03-10T12:00:00Z'),
  source: 'app',
});

const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `r${from + i}`);

/** A writer over `sink` (with a quick retry and no timed flush unless set), `prepare` as given. */
function setup(sink: Sink, options: WriterOptions = {}, prepare: (id: string) => TelemetryEvent = event) {
  const stats = emptyStats();
  const warnings: Array<{ obj: object; msg: string | undefined }> = [];
  const errors: Array<{ obj: object; msg: string | undefined }> = [];
  const logger = {
    warn: (obj: object, msg?: string) => warnings.push({ obj, msg }),
    error: (obj: object, msg?: string) => errors.push({ obj, msg }),
  };
  const writer = new BatchWriter<string>(
    { sink, prepare, stats, logger, once: new OnceLogger(logger) },
    { flushIntervalMs: 60_000, retry: { baseMs: 1, maxMs: 4 }, ...options },
  );
  const enqueueAll = (requestIds: string[]) => requestIds.map((r) => writer.enqueue(r));
  return { writer, stats, warnings, errors, enqueueAll };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('BatchWriter: when it flushes', () => {
  it('flushes as soon as batchSize items are queued, without waiting for the interval', async () => {
    vi.useFakeTimers();
    const sink = new MemorySink();
    const { writer, enqueueAll } = setup(sink, { batchSize: 3, flushIntervalMs: 60_000 });
    enqueueAll(ids(1, 2));
    await vi.advanceTimersByTimeAsync(1);
    expect(sink.calls).toEqual([]);
    writer.enqueue('r3');
    await vi.advanceTimersByTimeAsync(1);
    expect(sink.calls).toEqual([['r1', 'r2', 'r3']]);
    expect(writer.size).toBe(0);
  });

  it('flushes a partial batch once the interval has passed since the first queued item', async () => {
    vi.useFakeTimers();
    const sink = new MemorySink();
    const { writer, stats } = setup(sink, { batchSize: 100, flushIntervalMs: 1_000 });
    writer.enqueue('r1');
    await vi.advanceTimersByTimeAsync(500);
    writer.enqueue('r2'); // must not push the deadline back
    await vi.advanceTimersByTimeAsync(499);
    expect(sink.calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sink.calls).toEqual([['r1', 'r2']]);
    expect(stats).toMatchObject({ written: 2, batches: 1, queued: 0 });
  });

  it('splits a long queue into batches of at most batchSize', async () => {
    const sink = new MemorySink();
    const { writer, enqueueAll } = setup(sink, { batchSize: 10 });
    enqueueAll(ids(1, 25));
    await writer.flush();
    expect(sink.calls.map((c) => c.length)).toEqual([10, 10, 5]);
    expect(sink.stored).toEqual(ids(1, 25));
  });

  it('shares one run between concurrent flush() calls: the sink sees each event once', async () => {
    const sink = new MemorySink();
    let open = () => {};
    sink.gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const { writer, stats, enqueueAll } = setup(sink, { batchSize: 10 });
    enqueueAll(ids(1, 25));
    const first = writer.flush();
    const second = writer.flush();
    enqueueAll(ids(26, 30)); // queued while the run is in flight: picked up by the same run
    const third = writer.flush();
    expect(second).toBe(first);
    expect(third).toBe(first);
    await new Promise((resolve) => setImmediate(resolve)); // the batch is prepared, then written
    expect(sink.calls).toHaveLength(1); // the other flushes did not start a write of their own
    open();
    await Promise.all([first, second, third]);
    expect(sink.calls).toHaveLength(3);
    expect(sink.calls.flat()).toEqual(ids(1, 30));
    expect(stats).toMatchObject({ written: 30, duplicates: 0, batches: 3, queued: 0 });
  });
});

describe('BatchWriter: backlog and concurrency', () => {
  it('counts a batch from the moment it is taken: shutdown right after a flush waits for it, and the bound holds', async () => {
    const sink = new MemorySink();
    const { writer, stats, enqueueAll } = setup(sink, { batchSize: 10, maxQueue: 20 });
    enqueueAll(ids(1, 10));
    void writer.flush();
    expect(writer.size).toBe(10); // taken, not yet prepared: still counted
    enqueueAll(ids(11, 30)); // 10 in flight + 20 more: the bound of 20 drops 10
    expect(stats.dropped).toBe(10);
    expect(await writer.shutdown(5_000)).toBe(0);
    expect(sink.stored).toHaveLength(20);
    expect(stats).toMatchObject({ written: 20, dropped: 10, queued: 0 });
  });

  it('prepares a large batch in slices, letting other I/O run in between, and counts it as queued meanwhile', async () => {
    const sink = new MemorySink();
    const prepared: string[] = [];
    let sizeWhilePreparing = 0;
    const { writer } = setup(sink, { batchSize: 1_000 }, (id) => {
      prepared.push(id);
      sizeWhilePreparing = Math.max(sizeWhilePreparing, writer.size);
      return event(id);
    });
    for (const id of ids(1, 1_000)) writer.enqueue(id);
    const flushed = writer.flush();
    let preparedWhenIoRan = -1;
    setImmediate(() => {
      preparedWhenIoRan = prepared.length;
    });
    await flushed;
    expect(preparedWhenIoRan).toBeGreaterThan(0);
    expect(preparedWhenIoRan).toBeLessThan(1_000);
    expect(sizeWhilePreparing).toBe(1_000);
    expect(sink.calls.map((c) => c.length)).toEqual([1_000]);
  });

  it('splits a backlog between lanes, up to maxBatchSize each, with both batches in flight at once', async () => {
    const sink = new MemorySink();
    let open = () => {};
    sink.gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const { writer, stats, enqueueAll } = setup(sink, { batchSize: 10, maxBatchSize: 40, concurrency: 2 });
    enqueueAll(ids(1, 130));
    const flushed = writer.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(sink.calls.map((c) => c.length)).toEqual([40, 40]); // two lanes, 65-item shares capped at 40
    expect(writer.size).toBe(130); // in flight still counts against the bound
    open();
    await flushed;
    // The rest: the first lane free takes up to maxBatchSize (the other lane is still writing,
    // so nothing is left for it to share), then the second lane what remains.
    expect(sink.calls.map((c) => c.length)).toEqual([40, 40, 40, 10]);
    expect([...sink.stored].sort()).toEqual(ids(1, 130).sort());
    expect(stats).toMatchObject({ written: 130, batches: 4, queued: 0 });
  });

  it('prepares the next batch while the lanes write, one batch at a time and one ahead only', async () => {
    const sink = new MemorySink();
    let open = () => {};
    sink.gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const prepared: string[] = [];
    const { writer, stats } = setup(sink, { batchSize: 10, concurrency: 2 }, (id) => {
      prepared.push(id);
      return event(id);
    });
    for (const id of ids(1, 60)) writer.enqueue(id);
    const flushed = writer.flush();
    await new Promise((resolve) => setImmediate(resolve));
    // Two batches written (held by the gate), the third prepared and waiting; no more.
    expect(sink.calls).toEqual([ids(1, 10), ids(11, 20)]);
    expect(prepared).toEqual(ids(1, 30));
    expect(writer.size).toBe(60);
    open();
    await flushed;
    expect(sink.calls).toEqual([ids(1, 10), ids(11, 20), ids(21, 30), ids(31, 40), ids(41, 50), ids(51, 60)]);
    expect(stats).toMatchObject({ written: 60, batches: 6, queued: 0 });
  });

  it('adds a lane when a backlog builds up during a run, and never more than concurrency', async () => {
    const sink = new MemorySink();
    let inFlight = 0;
    let most = 0;
    const write = sink.write.bind(sink);
    sink.write = async (events) => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      try {
        return await write(events);
      } finally {
        inFlight--;
      }
    };
    const { writer, enqueueAll } = setup(sink, { batchSize: 5, concurrency: 3 });
    enqueueAll(ids(1, 5));
    const flushed = writer.flush(); // one lane: one batch queued
    enqueueAll(ids(6, 60)); // the backlog wakes the others
    await flushed;
    await writer.flush();
    expect(most).toBe(3);
    expect(sink.stored).toHaveLength(60);
  });

  it('a lane keeps its batch through a transient failure while the other lane goes on', async () => {
    const sink = new MemorySink();
    sink.failures = 1;
    const { writer, stats, enqueueAll } = setup(sink, { batchSize: 10, concurrency: 2 });
    enqueueAll(ids(1, 50));
    await writer.flush();
    expect([...sink.stored].sort()).toEqual(ids(1, 50).sort());
    expect(stats).toMatchObject({ written: 50, duplicates: 0, retried: 1, queued: 0 });
  });
});

describe('BatchWriter: failures', () => {
  it('keeps a batch through transient failures and retries with backoff until the sink recovers', async () => {
    const sink = new MemorySink();
    sink.failures = 4;
    const { writer, stats, warnings, enqueueAll } = setup(sink, {
      batchSize: 5,
      retry: { baseMs: 2, maxMs: 8 },
    });
    enqueueAll(ids(1, 12));
    await writer.flush();
    expect(sink.stored).toEqual(ids(1, 12));
    expect(stats).toMatchObject({ written: 12, retried: 4, rejected: 0, dropped: 0, queued: 0 });
    // The same first batch was offered on every retry: nothing was skipped or reordered.
    expect(sink.calls.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => ids(1, 5)));
    const delays = warnings.map((w) => (w.obj as { retryInMs?: number }).retryInMs);
    expect(delays).toHaveLength(4);
    const ceilings = [2, 4, 8, 8];
    delays.forEach((delay, i) => {
      expect(delay).toBeGreaterThanOrEqual(ceilings[i]! / 2);
      expect(delay).toBeLessThanOrEqual(ceilings[i]!);
    });
  });

  it.each([
    [16, 7],
    [16, 0],
    [13, 12],
    [1, 0],
  ])(
    'isolates the one refused event of a batch of %i (position %i): 1 rejected, the rest written',
    async (n, bad) => {
      const sink = new MemorySink();
      const batch = ids(1, n);
      sink.poison = batch[bad];
      const { writer, stats, warnings, enqueueAll } = setup(sink, { batchSize: n });
      enqueueAll(batch);
      enqueueAll(['after1', 'after2']); // queued behind the bad batch: never blocked by it
      await writer.flush();
      const good = batch.filter((_, i) => i !== bad);
      expect(sink.stored).toEqual([...good, 'after1', 'after2']);
      expect(stats).toMatchObject({ rejected: 1, written: n - 1 + 2, retried: 0, dropped: 0, queued: 0 });
      // Every attempt containing the bad event was refused; it was offered alone exactly once.
      expect(sink.calls.filter((c) => c.length === 1 && c[0] === batch[bad])).toHaveLength(1);
      expect(warnings.filter((w) => (w.obj as { code?: string }).code === '22P02')).toHaveLength(1);
    },
  );

  it('keeps writing after a refused event (a second poisoned batch is isolated too)', async () => {
    const sink = new MemorySink();
    sink.poison = 'r5';
    const { writer, stats, enqueueAll } = setup(sink, { batchSize: 4 });
    enqueueAll(ids(1, 8));
    await writer.flush();
    sink.poison = 'r11';
    enqueueAll(ids(9, 12));
    await writer.flush();
    expect(sink.stored).toEqual(['r1', 'r2', 'r3', 'r4', 'r6', 'r7', 'r8', 'r9', 'r10', 'r12']);
    expect(stats.rejected).toBe(2);
  });
});

describe('BatchWriter: bounded queue', () => {
  it('drop-oldest keeps the newest maxQueue items and counts the rest', async () => {
    const sink = new MemorySink();
    const { writer, stats, warnings, enqueueAll } = setup(sink, { maxQueue: 3, overflow: 'drop-oldest' });
    expect(enqueueAll(ids(1, 5))).toEqual([true, true, true, true, true]);
    expect(writer.size).toBe(3);
    expect(stats.dropped).toBe(2);
    expect(warnings.filter((w) => (w.obj as { reason?: string }).reason === 'queue_full')).toHaveLength(1);
    await writer.flush();
    expect(sink.stored).toEqual(['r3', 'r4', 'r5']);
    expect(stats).toMatchObject({ written: 3, dropped: 2, queued: 0 });
  });

  it('drop-oldest drops the batch prepared ahead before newer items, never the batch being written', async () => {
    const sink = new MemorySink();
    sink.failures = Number.POSITIVE_INFINITY;
    const { writer, stats, enqueueAll } = setup(sink, {
      batchSize: 100,
      maxQueue: 400,
      overflow: 'drop-oldest',
      retry: { baseMs: 1, maxMs: 2 },
    });
    enqueueAll(ids(0, 249));
    const flushed = writer.flush(); // r0–r99 written and retried; r100–r199 prepared ahead
    await new Promise((resolve) => setTimeout(resolve, 5));
    enqueueAll(ids(250, 1249));
    expect(writer.size).toBe(400);
    expect(stats.dropped).toBe(850);
    sink.failures = 0;
    await flushed;
    await writer.flush();
    expect(sink.stored).toEqual([...ids(0, 99), ...ids(950, 1249)]);
  });

  it('drop-newest keeps the oldest maxQueue items and refuses the rest', async () => {
    const sink = new MemorySink();
    const { writer, stats, enqueueAll } = setup(sink, { maxQueue: 3, overflow: 'drop-newest' });
    expect(enqueueAll(ids(1, 5))).toEqual([true, true, true, false, false]);
    expect(writer.size).toBe(3);
    await writer.flush();
    expect(sink.stored).toEqual(['r1', 'r2', 'r3']);
    expect(stats).toMatchObject({ written: 3, dropped: 2, queued: 0 });
  });

  it('room freed by a flush is usable again', async () => {
    const sink = new MemorySink();
    const { writer, stats, enqueueAll } = setup(sink, { maxQueue: 2, overflow: 'drop-newest' });
    enqueueAll(ids(1, 3));
    await writer.flush();
    expect(enqueueAll(ids(4, 5))).toEqual([true, true]);
    await writer.flush();
    expect(sink.stored).toEqual(['r1', 'r2', 'r4', 'r5']);
    expect(stats.dropped).toBe(1);
  });
});

describe('BatchWriter: memory bound during an outage', () => {
  it('never holds more than maxQueue items, counting the batch being retried, nor references dropped ones', async () => {
    const sink = new MemorySink();
    sink.failures = Number.POSITIVE_INFINITY;
    const { writer, stats } = setup(sink, {
      maxQueue: 1000,
      batchSize: 100,
      flushIntervalMs: 1,
      retry: { baseMs: 1, maxMs: 2 },
    });
    let maxSize = 0;
    for (let i = 0; i < 100_000; i++) {
      writer.enqueue(`r${i}`);
      maxSize = Math.max(maxSize, writer.size);
      if (i % 5_000 === 0) await new Promise((resolve) => setTimeout(resolve, 5)); // let retries run
    }
    expect(sink.calls.length).toBeGreaterThan(1); // a batch was in flight and retried meanwhile
    expect(maxSize).toBeLessThanOrEqual(1000);
    // the backing array does not keep dropped items alive
    const backing = (writer as unknown as { queue: unknown[] }).queue;
    expect(backing.length).toBeLessThanOrEqual(1000 + 4096 * 2);
    expect(stats.dropped).toBe(100_000 - writer.size);
    sink.failures = 0;
    await writer.flush();
    expect(stats.written).toBe(1000);
    expect(sink.stored.at(-1)).toBe('r99999');
  });
});

describe('BatchWriter: a prepare that throws', () => {
  it('rejects that item alone, counts and logs it, and writes the rest', async () => {
    const sink = new MemorySink();
    const { writer, stats, warnings } = setup(sink, { batchSize: 10 }, (id) => {
      if (id === 'r15') throw new Error('bug in prepare');
      return event(id);
    });
    for (const id of ids(1, 30)) writer.enqueue(id);
    await writer.flush();
    expect(sink.stored).toEqual(ids(1, 30).filter((id) => id !== 'r15'));
    expect(stats).toMatchObject({ written: 29, rejected: 1, queued: 0 });
    expect(writer.size).toBe(0);
    expect(warnings.map((w) => w.obj)).toEqual([
      expect.objectContaining({ reason: 'prepare_threw', message: 'bug in prepare' }),
    ]);
  });
});

describe('BatchWriter: shutdown', () => {
  it('drops and counts items enqueued after shutdown', async () => {
    const sink = new MemorySink();
    const { writer, stats, enqueueAll } = setup(sink);
    enqueueAll(ids(1, 2));
    expect(await writer.shutdown(1_000)).toBe(0);
    expect(writer.enqueue('late')).toBe(false);
    expect(writer.enqueue('later')).toBe(false);
    await writer.flush();
    expect(sink.stored).toEqual(['r1', 'r2']);
    expect(stats).toMatchObject({ written: 2, dropped: 2, queued: 0 });
  });

  it('drains everything when the sink works', async () => {
    const sink = new MemorySink();
    sink.failures = 2; // a short blip during the drain is retried, not lost
    const { writer, stats, enqueueAll } = setup(sink, { batchSize: 100 });
    enqueueAll(ids(1, 1_234));
    expect(await writer.shutdown(5_000)).toBe(0);
    expect(sink.stored).toHaveLength(1_234);
    expect(new Set(sink.stored).size).toBe(1_234);
    expect(writer.size).toBe(0);
    expect(stats).toMatchObject({ written: 1_234, dropped: 0, queued: 0, retried: 2 });
  });

  it('with the sink down for good, returns the number lost within the timeout and counts them', async () => {
    const sink = new MemorySink();
    sink.failures = Number.POSITIVE_INFINITY;
    // Default retry timing: the drain may be sleeping in a backoff when the deadline passes.
    const { writer, stats, errors, enqueueAll } = setup(sink, { batchSize: 10, retry: {} });
    enqueueAll(ids(1, 35));
    const timeoutMs = 300;
    const started = performance.now();
    const lost = await writer.shutdown(timeoutMs);
    const elapsed = performance.now() - started;
    expect(lost).toBe(35);
    expect(elapsed).toBeLessThan(2 * timeoutMs);
    expect(stats).toMatchObject({ dropped: 35, written: 0, queued: 0 });
    expect(stats.retried).toBeGreaterThan(0);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.obj).toMatchObject({ lost: 35, timeoutMs });
    expect(writer.enqueue('late')).toBe(false);
    expect(stats.dropped).toBe(36);
  });
});

describe('backoffDelay', () => {
  const ceiling = (attempt: number, base: number, cap: number) => Math.min(cap, base * 2 ** attempt);

  it.each([
    [{}, 100, 10_000],
    [{ baseMs: 5, maxMs: 1_000 }, 5, 1_000],
    [{ baseMs: 250, maxMs: 250 }, 250, 250],
  ])('stays within [0.5, 1] × the capped exponential (%j)', (options, base, cap) => {
    for (let attempt = 0; attempt <= 60; attempt++) {
      const c = ceiling(attempt, base, cap);
      for (const r of [0, 0.25, 0.5, 0.999_999, Math.random()]) {
        const delay = backoffDelay(attempt, options, () => r);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(c / 2));
        expect(delay).toBeLessThanOrEqual(c);
      }
    }
  });

  it('doubles until the cap, then stays there', () => {
    const top = (attempt: number) => backoffDelay(attempt, {}, () => 0.999_999_9);
    expect([0, 1, 2, 3].map(top)).toEqual([100, 200, 400, 800]);
    expect(top(7)).toBe(10_000);
    expect(top(1_000)).toBe(10_000);
    expect(backoffDelay(0, {}, () => 0)).toBe(50);
    expect(backoffDelay(1_000, {}, () => 0)).toBe(5_000);
  });

  it('uses Math.random by default and stays in bounds', () => {
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelay(3);
      expect(delay).toBeGreaterThanOrEqual(400);
      expect(delay).toBeLessThanOrEqual(800);
    }
  });
});

describe('isTransientDatabaseError', () => {
  const coded = (code: string, message = 'boom') => Object.assign(new Error(message), { code });

  it.each([
    ['ECONNREFUSED', coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['57P01 admin shutdown', coded('57P01', 'terminating connection due to administrator command')],
    ['08006 connection failure', coded('08006', 'connection failure')],
    ['40P01 deadlock', coded('40P01', 'deadlock detected')],
    ['"Connection terminated unexpectedly"', new Error('Connection terminated unexpectedly')],
    [
      'an AggregateError of ECONNREFUSED',
      new AggregateError(
        [coded('ECONNREFUSED', 'connect ECONNREFUSED ::1:5432'), coded('ECONNREFUSED', 'x')],
        'all attempts failed',
      ),
    ],
  ])('%s is transient', (_, error) => {
    expect(isTransientDatabaseError(error)).toBe(true);
  });

  it.each([
    ['23505 unique violation', coded('23505', 'duplicate key value violates unique constraint "x_pkey"')],
    ['22P02 invalid text', coded('22P02', 'invalid input syntax for type uuid: "nope"')],
    ['42P01 undefined table', coded('42P01', 'relation "t.trip_creation_attempts" does not exist')],
    ['an AggregateError of refusals', new AggregateError([coded('23505'), coded('22P02')], 'both')],
    ['undefined', undefined],
    ['null', null],
    ['a string', 'ECONNREFUSED?'],
  ])('%s is not transient', (_, error) => {
    expect(isTransientDatabaseError(error)).toBe(false);
  });
});
