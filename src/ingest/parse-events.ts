import type { z } from 'zod';
import type { TelemetryEvent } from '../domain/index.js';
import { DEFAULT_NOTES_POLICY, type NotesPolicy } from '../privacy/index.js';
import { ingestEventSchema, MAX_EVENTS_PER_REQUEST } from './event-schema.js';
import { outsideIngestWindow } from './ingest-window.js';
import { toTelemetryEvent } from './to-telemetry-event.js';

/** One refused field of one event: `field` is its JSON path in the body, `index` the event's position. */
export interface EventProblem {
  index: number;
  field: string;
  message: string;
}

/** The outcome of {@link parseIngestBody}: all events, or every problem (a batch is all or nothing). */
export type ParsedIngestBody =
  | { ok: true; events: TelemetryEvent[]; batch: boolean }
  | { ok: false; errors: EventProblem[]; batch: boolean };

/** Options of {@link parseIngestBody}. */
export interface ParseIngestOptions {
  /** The server clock: the ingest window and the default `occurred_at`. */
  now: Date;
  /** How snapshot notes are kept (default `redact`). */
  notesPolicy?: NotesPolicy;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validates a parsed JSON body: one event, or `{ "events": [ … ] }` with 1–1000 events. Returns
 * the mapped events, or a problem per bad field of every bad event; never a partial batch.
 *
 * @example
 * const parsed = parseIngestBody({ type: 'create_trip_attempted', request_id: 'r1' }, { now: new Date() });
 * if (!parsed.ok) console.log(parsed.errors); // [{ index, field, message }]
 */
export function parseIngestBody(body: unknown, options: ParseIngestOptions): ParsedIngestBody {
  const batch = isObject(body) && Object.hasOwn(body, 'events');
  if (!batch) return collect([body], '', options, false);
  const extra = Object.keys(body).filter((key) => key !== 'events');
  if (extra.length > 0)
    return fail(
      extra.map((key) => ({ index: 0, field: key, message: 'is not a known field of a batch' })),
      true,
    );
  const events = body.events;
  if (!Array.isArray(events) || events.length === 0 || events.length > MAX_EVENTS_PER_REQUEST)
    return fail(
      [{ index: 0, field: 'events', message: `must be an array of 1–${MAX_EVENTS_PER_REQUEST} events` }],
      true,
    );
  return collect(events, 'events', options, true);
}

function fail(errors: EventProblem[], batch: boolean): ParsedIngestBody {
  return { ok: false, errors, batch };
}

function collect(items: unknown[], prefix: string, options: ParseIngestOptions, batch: boolean) {
  const events: TelemetryEvent[] = [];
  const errors: EventProblem[] = [];
  const notesPolicy = options.notesPolicy ?? DEFAULT_NOTES_POLICY;
  items.forEach((item, index) => {
    const base = prefix === '' ? '' : `${prefix}[${index}]`;
    const parsed = ingestEventSchema.safeParse(item);
    if (!parsed.success) {
      errors.push(...problemsOf(parsed.error, index, base));
      return;
    }
    const event = toTelemetryEvent(parsed.data, options.now, notesPolicy);
    const outside = outsideIngestWindow(event.occurredAt, options.now);
    if (outside !== undefined) errors.push({ index, field: join(base, ['occurred_at']), message: outside });
    else events.push(event);
  });
  return errors.length > 0 ? fail(errors, batch) : { ok: true as const, events, batch };
}

function problemsOf(error: z.ZodError, index: number, base: string): EventProblem[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({
        index,
        field: join(base, [...issue.path, key]),
        message: 'is not a known field',
      }));
    if (issue.path.length === 0 && issue.code === 'invalid_type')
      return [{ index, field: base === '' ? '(body)' : base, message: 'must be an event object' }];
    return [{ index, field: join(base, issue.path), message: issue.message }];
  });
}

function join(base: string, path: PropertyKey[]): string {
  let out = base;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}
