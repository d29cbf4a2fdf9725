import type { z } from 'zod';
import type { TelemetryRecord } from '../domain/index.js';
import { DEFAULT_NOTES_POLICY, type NotesPolicy } from '../privacy/index.js';
import {
  CONTENT_KEYS,
  ingestEventSchema,
  ingestPhaseSchema,
  ingestProviderCallSchema,
  MAX_EVENTS_PER_REQUEST,
} from './event-schema.js';
import { outsideIngestWindow } from './ingest-window.js';
import { toPhaseRecord, toProviderCallRecord } from './to-anatomy-record.js';
import { toTelemetryEvent } from './to-telemetry-event.js';

/** One refused field of one event: `field` is its JSON path in the body, `index` the event's position. */
export interface EventProblem {
  index: number;
  field: string;
  message: string;
}

/** The outcome of {@link parseIngestBody}: all events, or every problem (a batch is all or nothing). */
export type ParsedIngestBody =
  | { ok: true; events: TelemetryRecord[]; batch: boolean }
  | {
      ok: false;
      errors: EventProblem[];
      batch: boolean;
      /** `FORBIDDEN_CONTENT_KEY` when an event carried prompt or response text; else absent. */
      code?: 'FORBIDDEN_CONTENT_KEY';
    };

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

function collect(
  items: unknown[],
  prefix: string,
  options: ParseIngestOptions,
  batch: boolean,
): ParsedIngestBody {
  const events: TelemetryRecord[] = [];
  const errors: EventProblem[] = [];
  const notesPolicy = options.notesPolicy ?? DEFAULT_NOTES_POLICY;
  const content = contentProblems(items, prefix);
  if (content.length > 0) return { ok: false, errors: content, batch, code: 'FORBIDDEN_CONTENT_KEY' };
  items.forEach((item, index) => {
    const base = prefix === '' ? '' : `${prefix}[${index}]`;
    const type = isObject(item) ? item.type : undefined;
    let record: TelemetryRecord;
    let at: Date;
    let atField: string;
    if (type === 'provider_call' || type === 'attempt_phase') {
      const parsed =
        type === 'provider_call'
          ? ingestProviderCallSchema.safeParse(item)
          : ingestPhaseSchema.safeParse(item);
      if (!parsed.success) {
        errors.push(...problemsOf(parsed.error, index, base));
        return;
      }
      if (parsed.data.type === 'provider_call') {
        const call = toProviderCallRecord(parsed.data, options.now);
        [record, at, atField] = [call, call.occurredAt, 'occurred_at'];
      } else {
        const phase = toPhaseRecord(parsed.data);
        [record, at, atField] = [phase, phase.startedAt, 'started_at'];
      }
    } else {
      const parsed = ingestEventSchema.safeParse(item);
      if (!parsed.success) {
        errors.push(...problemsOf(parsed.error, index, base));
        return;
      }
      const event = toTelemetryEvent(parsed.data, options.now, notesPolicy);
      [record, at, atField] = [event, event.occurredAt, 'occurred_at'];
    }
    const outside = outsideIngestWindow(at, options.now);
    if (outside !== undefined) errors.push({ index, field: join(base, [atField]), message: outside });
    else events.push(record);
  });
  return errors.length > 0 ? fail(errors, batch) : { ok: true as const, events, batch };
}

/** A problem per prompt or response key of any event (see `CONTENT_KEYS`). */
function contentProblems(items: unknown[], prefix: string): EventProblem[] {
  const problems: EventProblem[] = [];
  items.forEach((item, index) => {
    if (!isObject(item)) return;
    for (const key of CONTENT_KEYS) {
      if (Object.hasOwn(item, key))
        problems.push({
          index,
          field: join(prefix === '' ? '' : `${prefix}[${index}]`, [key]),
          message: 'prompt or response text is never accepted',
        });
    }
  });
  return problems;
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
