import { newId, normaliseSubjectId } from '../domain/index.js';
import { outsideIngestWindow } from '../ingest/index.js';
import type { Json } from '../storage/index.js';
import type { FieldProblem } from '../web/index.js';
import { type ClientEventCatalog, DEFAULT_CLIENT_CATALOG, propBoundsOf } from './event-catalog.js';
import { MAX_CLIENT_EVENTS } from './limits.js';
import { checkProps } from './props.js';

/** One accepted client event, ready to be written. */
export interface ClientEventRow {
  /** The client's id (lower-cased) when it sent one, else a new UUIDv7. */
  id: string;
  /** Whether `id` came from the client (dedupe by id) or not (dedupe by session, name and time). */
  clientId: boolean;
  createdAt: Date;
  anonSessionId: string;
  name: string;
  props: { [key: string]: Json };
}

/** Why one event of an accepted batch was left out: its index, a code, the field and the reason. */
export interface RejectedClientEvent {
  index: number;
  /** `UNKNOWN_EVENT`: the name is not in the catalog; `INVALID_EVENT`: a field breaks a rule. */
  code: 'UNKNOWN_EVENT' | 'INVALID_EVENT';
  /** e.g. `events[2].props.notes`. */
  field: string;
  message: string;
}

/** What {@link parseClientBatch} found. */
export type ParsedClientBatch =
  | {
      ok: true;
      siteKey: string | undefined;
      /** The valid events, to be written. */
      events: ClientEventRow[];
      /** A problem per field at fault of each event left out (an event may have several). */
      rejected: RejectedClientEvent[];
    }
  | {
      ok: false;
      /** `UNKNOWN_EVENT` when some event name is not in the catalog, else `INVALID_EVENTS`. */
      code: 'UNKNOWN_EVENT' | 'INVALID_EVENTS' | 'TOO_MANY_EVENTS';
      siteKey: string | undefined;
      errors: FieldProblem[];
    };

/** The fields of a batch and of one event: anything else is refused, as on every ingest route. */
const BATCH_FIELDS: ReadonlySet<string> = new Set(['site_key', 'events']);
const EVENT_FIELDS: ReadonlySet<string> = new Set(['id', 'name', 'anon_session_id', 'occurred_at', 'props']);
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})$/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validates a mirror body `{ site_key?, events: [{ id?, name, anon_session_id, occurred_at, props }] }`
 * against the catalog and the bounds: 1–50 events; names the catalog accepts (see
 * `clientEventCatalog`); `anon_session_id` and `id` non-reserved UUIDs; `occurred_at` an ISO time
 * within 7 days back and 5 minutes ahead of `now`; props bounded (by the name's bounds) and
 * redacted; no other field in the batch or an event. Every problem is reported with its event
 * index and field. A bad event does not refuse its batch: the valid ones are kept and the others
 * listed in `rejected` (a beacon is not retried, so refusing a batch whole would lose its good
 * events silently); a batch with no valid event, or a bad batch, is refused.
 *
 * @example
 * const parsed = parseClientBatch(JSON.parse(body), new Date(), clientEventCatalog(config.clientEventPrefixes));
 * if (!parsed.ok) throw new ProblemError(422, parsed.code, '…', parsed.errors);
 */
export function parseClientBatch(
  body: unknown,
  now: Date,
  catalog: ClientEventCatalog = DEFAULT_CLIENT_CATALOG,
): ParsedClientBatch {
  const siteKey = isObject(body) && typeof body.site_key === 'string' ? body.site_key : undefined;
  const events = isObject(body) ? body.events : undefined;
  const unknown = isObject(body) ? unknownKeys(body, BATCH_FIELDS) : [];
  if (unknown.length > 0)
    return refuse(
      'INVALID_EVENTS',
      siteKey,
      unknown.map((field) => ({ field, message: 'is not a known field' })),
    );
  if (!Array.isArray(events) || events.length === 0)
    return refuse('INVALID_EVENTS', siteKey, [
      { field: 'events', message: `must be an array of 1–${MAX_CLIENT_EVENTS} events` },
    ]);
  if (events.length > MAX_CLIENT_EVENTS)
    return refuse('TOO_MANY_EVENTS', siteKey, [
      { field: 'events', message: `has ${events.length} events; at most ${MAX_CLIENT_EVENTS} per request` },
    ]);
  const rows: ClientEventRow[] = [];
  const rejected: RejectedClientEvent[] = [];
  for (const [index, event] of events.entries()) {
    const problems: Omit<RejectedClientEvent, 'index' | 'code'>[] = [];
    let code: RejectedClientEvent['code'] = 'INVALID_EVENT';
    const row = parseEvent(event, now, catalog, (field, message, unknownName) => {
      if (unknownName) code = 'UNKNOWN_EVENT';
      problems.push({ field: `events[${index}]${field ? `.${field}` : ''}`, message });
    });
    if (row !== undefined) rows.push(row);
    for (const problem of problems) rejected.push({ index, code, ...problem });
  }
  if (rows.length > 0) return { ok: true, siteKey, events: rows, rejected };
  const unknownName = rejected.some((r) => r.code === 'UNKNOWN_EVENT');
  return refuse(
    unknownName ? 'UNKNOWN_EVENT' : 'INVALID_EVENTS',
    siteKey,
    rejected.map(({ index, field, message }) => ({ index, field, message })),
  );
}

/** One event as a row, or `undefined` after reporting its problems. */
function parseEvent(
  event: unknown,
  now: Date,
  catalog: ClientEventCatalog,
  problem: (field: string, message: string, unknownName?: boolean) => void,
): ClientEventRow | undefined {
  if (!isObject(event)) return void problem('', 'must be an object');
  const unknown = unknownKeys(event, EVENT_FIELDS);
  for (const key of unknown) problem(key, 'is not a known field');
  const { name } = event;
  const bounds = typeof name === 'string' ? propBoundsOf(catalog, name) : undefined;
  const known = bounds !== undefined;
  if (typeof name !== 'string') problem('name', 'must be a string');
  else if (!known)
    problem(
      'name',
      `is not an event of the catalog: a default name, or page__element[--detail] under ${catalog.prefixes.join(', ') || '(no prefix)'}`,
      true,
    );
  const anonSessionId = normaliseSubjectId(event.anon_session_id);
  if (anonSessionId === undefined) problem('anon_session_id', 'must be a UUID that is not a placeholder');
  const id = event.id === undefined ? undefined : normaliseSubjectId(event.id);
  if (event.id !== undefined && id === undefined) problem('id', 'must be a UUID that is not a placeholder');
  const createdAt = checkTime(event.occurred_at, now);
  if (typeof createdAt === 'string') problem('occurred_at', createdAt);
  const props = checkProps(event.props, bounds);
  if (!props.ok) problem(props.field, props.message);
  if (unknown.length > 0 || typeof name !== 'string' || !known || anonSessionId === undefined)
    return undefined;
  if (event.id !== undefined && id === undefined) return undefined;
  if (typeof createdAt === 'string' || !props.ok) return undefined;
  return {
    id: id ?? newId(),
    clientId: id !== undefined,
    createdAt,
    anonSessionId,
    name,
    props: props.props,
  };
}

function refuse(
  code: 'UNKNOWN_EVENT' | 'INVALID_EVENTS' | 'TOO_MANY_EVENTS',
  siteKey: string | undefined,
  errors: FieldProblem[],
): ParsedClientBatch {
  return { ok: false, code, siteKey, errors };
}

/** The time, or why it is refused. */
function checkTime(value: unknown, now: Date): Date | string {
  if (typeof value !== 'string' || !ISO_TIME.test(value))
    return 'must be an ISO 8601 time with a zone, e.g. 2026-05-01T12:00:00.000Z';
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) return 'is not a valid time';
  return outsideIngestWindow(at, now) ?? at;
}

/** The keys of `value` that `known` does not hold (cut to 64 characters: they are echoed). */
function unknownKeys(value: Record<string, unknown>, known: ReadonlySet<string>): string[] {
  return Object.keys(value)
    .filter((key) => !known.has(key))
    .map((key) => key.slice(0, 64));
}
