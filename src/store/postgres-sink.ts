import {
  type AttemptPhaseRecord,
  BENCHMARK_SOURCE,
  isTelemetryEvent,
  type ProviderCallRecord,
  recordKey,
  type TelemetryEvent,
  type TelemetryRecord,
} from '../domain/index.js';
import { PriceBook, pricesSql } from '../prices/index.js';
import type { Database, WriteTransaction } from '../storage/index.js';
import { eventKey, type Sink, type SinkResult, TransientSinkError } from '../tracker/index.js';
import { attemptPatchMap } from './attempt-patches.js';
import { updateExistingAttempts, writeTables } from './attempt-statements.js';
import { uniqueEvents } from './event-rows.js';
import { insertEventsOfExisting } from './event-statements.js';
import { insertCalls, insertPhases, syncAnatomy } from './generation-statements.js';
import { insertNewRequests } from './new-requests.js';
import { isTransientDatabaseError } from './transient.js';
import { lockSubjectsAndProbe, requestLocks, type SubjectRef } from './write-locks.js';

/**
 * Every statement of a write is short and keyed by request id: JIT compiling costs more than it
 * saves (large batches cross its threshold and pay for a compilation they never win back), and
 * with sequential scans off a young table's statistics never make the planner scan a partition
 * for a few hundred keys. Nor build a bitmap per key: without statistics the planner expects
 * many rows per request id, where an index (only) scan probes each id faster.
 */
const WRITE_SETTINGS = { settings: { jit: 'off', enable_seqscan: 'off', enable_bitmapscan: 'off' } } as const;

/**
 * Writes batches of records (events, provider calls, phases) into Postgres or PGlite in one transaction: per schema, the batch's
 * request ids are locked (advisory transaction locks, in a fixed order) and probed; attempts
 * and events of new requests are bulk inserts, those of known requests are merged into their
 * row and their events inserted unless already stored. Redeliveries in any order, from any
 * number of processes, yield one attempt row and at most one event per type. A row that carries
 * only an anonymous id already linked to a user (`identity_links`) gets that user id as it is
 * written. Provider calls and phases are inserted unless stored (by request id + call index /
 * phase), priced at write time, take the identifiers of their attempt (now, or when it arrives),
 * and keep the attempt's totals current.
 */
export class PostgresSink implements Sink {
  readonly reportsInserted = true;
  constructor(private readonly database: Database | Promise<Database>) {}

  async write(events: TelemetryRecord[]): Promise<SinkResult> {
    let database: Database;
    try {
      database = await this.database;
    } catch (error) {
      throw new TransientSinkError(`database unavailable: ${(error as Error).message}`, 'DB_OPEN');
    }
    const { product, admin } = bySchema(events);
    try {
      return await database.writeTransaction(async (tx) => {
        const links = `${database.schema}.identity_links`;
        // The price table (product schema, a few dozen rows), read once per transaction if a call needs it.
        let book: Promise<PriceBook> | undefined;
        const prices = () => {
          book ??= tx.query(pricesSql(`${database.schema}.model_prices`)).then((rows) => new PriceBook(rows));
          return book;
        };
        const a = await writeSchema(tx, database.schema, product, links, prices);
        const b = await writeSchema(tx, database.adminSchema, admin, links, prices);
        return {
          written: a.written + b.written,
          duplicates: a.duplicates + b.duplicates,
          // Built only when a caller asks (serve's group commit does; the tracker does not).
          get inserted() {
            return new Set([...a.inserted, ...b.inserted]);
          },
        };
      }, WRITE_SETTINGS);
    } catch (error) {
      if (isTransientDatabaseError(error)) {
        throw new TransientSinkError(
          (error as Error).message,
          String((error as { code?: string }).code ?? 'TRANSIENT'),
        );
      }
      throw error;
    }
  }
}

/** Splits a batch into product records and `source: 'benchmark'` ones (usually none: no copy then). */
function bySchema(events: TelemetryRecord[]): { product: TelemetryRecord[]; admin: TelemetryRecord[] } {
  if (!events.some((e) => e.source === BENCHMARK_SOURCE)) return { product: events, admin: [] };
  return {
    product: events.filter((e) => e.source !== BENCHMARK_SOURCE),
    admin: events.filter((e) => e.source === BENCHMARK_SOURCE),
  };
}

interface SchemaResult {
  written: number;
  duplicates: number;
  /** Keys of the events stored, computed on first read. */
  readonly inserted: Iterable<string>;
}

/** A batch's records by kind: events, then the anatomy (one record per key, the first kept). */
interface Split {
  events: TelemetryEvent[];
  calls: ProviderCallRecord[];
  phases: AttemptPhaseRecord[];
}

function split(records: TelemetryRecord[]): Split {
  if (records.every(isTelemetryEvent)) return { events: records as TelemetryEvent[], calls: [], phases: [] };
  const out: Split = { events: [], calls: [], phases: [] };
  const seen = new Set<string>();
  for (const record of records) {
    if (isTelemetryEvent(record)) {
      out.events.push(record);
      continue;
    }
    const key = recordKey(record);
    if (seen.has(key)) continue;
    seen.add(key);
    if (record.kind === 'provider_call') out.calls.push(record);
    else out.phases.push(record);
  }
  return out;
}

async function writeSchema(
  tx: WriteTransaction,
  schema: string,
  records: TelemetryRecord[],
  linksTable: string,
  prices: () => Promise<PriceBook>,
): Promise<SchemaResult> {
  if (records.length === 0) return { written: 0, duplicates: 0, inserted: [] };
  const t = writeTables(schema, linksTable);
  const { events, calls, phases } = split(records);
  const unique = uniqueEvents(events);
  const byRequest = attemptPatchMap(unique);
  const patches = [...byRequest.values()];
  const anatomy = calls.length + phases.length > 0;
  let requestIds = [...byRequest.keys()];
  if (anatomy) {
    const ids = new Set(requestIds);
    for (const c of calls) ids.add(c.requestId);
    for (const p of phases) ids.add(p.requestId);
    requestIds = [...ids];
  }

  await tx.query(requestLocks(requestIds));
  // New requests (the common case) become finished rows in JS and are bulk-inserted (COPY on
  // PostgreSQL), with their calls and phases when nothing of them is stored; only known ones
  // are merged into their row and probed for stored events, calls and phases.
  const subjects: readonly SubjectRef[] = anatomy ? [...unique, ...calls, ...phases] : unique;
  const stored = await lockSubjectsAndProbe(tx, t, subjects, requestIds);
  const existing = stored.attempts;
  const isNew = (requestId: string) => !existing.has(requestId);
  const fresh = existing.size === 0 ? patches : patches.filter((p) => isNew(p.request_id));
  const freshEvents = existing.size === 0 ? unique : unique.filter((e) => isNew(e.requestId));
  // Anatomy written with its attempt: the attempt is new in this batch and nothing of it stored.
  const bulk = (requestId: string) =>
    byRequest.has(requestId) && !existing.has(requestId) && !stored.anatomy.has(requestId);
  const [bulkCalls, sqlCalls] = partition(calls, (c) => bulk(c.requestId));
  const [bulkPhases, sqlPhases] = partition(phases, (p) => bulk(p.requestId));
  await insertNewRequests(tx, t, fresh, freshEvents, byRequest, {
    calls: bulkCalls,
    phases: bulkPhases,
    prices,
  });
  let known: Awaited<ReturnType<typeof insertEventsOfExisting>> = [];
  if (existing.size > 0) {
    await updateExistingAttempts(
      tx,
      t,
      patches.filter((p) => existing.has(p.request_id)),
    );
    known = await insertEventsOfExisting(
      tx,
      t,
      unique.filter((e) => existing.has(e.requestId)),
    );
  }
  // The rest of the anatomy after the attempts: a call of a request whose attempt this batch
  // wrote takes its identifiers at once. Then calls and phases stored earlier get them, and
  // attempts their totals: for the requests whose attempt this batch wrote and that had stored
  // anatomy, and for those that got a call or phase here.
  const storedCalls = await insertCalls(tx, t, sqlCalls);
  const storedPhases = await insertPhases(tx, t, sqlPhases);
  const sync = new Set<string>();
  for (const id of stored.anatomy) if (byRequest.has(id)) sync.add(id);
  for (const row of storedCalls) sync.add(row.request_id);
  for (const row of storedPhases) sync.add(row.request_id);
  if (sync.size > 0) await syncAnatomy(tx, t, [...sync]);
  const written =
    freshEvents.length +
    known.length +
    bulkCalls.length +
    bulkPhases.length +
    storedCalls.length +
    storedPhases.length;
  return {
    written,
    duplicates: records.length - written,
    get inserted() {
      const keys = freshEvents.map(eventKey);
      for (const row of known) keys.push(eventKey({ type: row.event_type, requestId: row.request_id }));
      for (const call of bulkCalls) keys.push(recordKey(call));
      for (const phase of bulkPhases) keys.push(recordKey(phase));
      for (const row of storedCalls) keys.push(`provider_call\u0000${row.request_id}\u0000${row.call_index}`);
      for (const row of storedPhases) keys.push(`attempt_phase\u0000${row.request_id}\u0000${row.phase}`);
      return keys;
    },
  };
}

/** `items` split by `test`: those that pass, then the others (one array, no copy, when all pass). */
function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  if (items.every(test)) return [items, []];
  const pass: T[] = [];
  const fail: T[] = [];
  for (const item of items) (test(item) ? pass : fail).push(item);
  return [pass, fail];
}
