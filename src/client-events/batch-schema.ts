import { z } from 'zod';
import { MAX_EVENT_NAME_LENGTH } from './event-catalog.js';
import { MAX_CLIENT_EVENTS, MAX_PROP_KEYS, MAX_PROP_STRING_LENGTH } from './limits.js';

/**
 * The wire shape of a `POST /v1/client-events` body as a zod schema, for the OpenAPI document.
 * {@link parseClientBatch} enforces it (and more: the clock window, reserved ids, redaction) with
 * per-field problems; the constants it reads are the same.
 */
export const clientBatchSchema = z.strictObject({
  site_key: z.string().optional(),
  events: z
    .array(
      z.strictObject({
        id: z.uuid().optional(),
        /** A default catalog name, or `page__element[--detail]` under a `clientEventPrefixes` prefix. */
        name: z
          .string()
          .max(MAX_EVENT_NAME_LENGTH)
          .regex(
            /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*__[a-z][a-z0-9]*(?:_[a-z0-9]+)*(?:--[a-z][a-z0-9]*(?:_[a-z0-9]+)*)?$/,
          ),
        anon_session_id: z.uuid(),
        occurred_at: z.iso.datetime({ offset: true }),
        props: z
          .record(
            z.string(),
            z.union([z.string().max(MAX_PROP_STRING_LENGTH), z.number(), z.boolean(), z.null()]),
          )
          .refine((props) => Object.keys(props).length <= MAX_PROP_KEYS),
      }),
    )
    .min(1)
    .max(MAX_CLIENT_EVENTS),
});

/** The answer of an accepted `POST /v1/client-events` batch (202), for the OpenAPI document. */
export const clientBatchAnswerSchema = z.object({
  accepted: z.int().min(0).describe('events stored now'),
  duplicates: z.int().min(0).describe('valid events already stored (a resent batch)'),
  rejected: z
    .array(
      z.object({
        index: z.int().min(0),
        code: z.enum(['UNKNOWN_EVENT', 'INVALID_EVENT']),
        field: z.string(),
        message: z.string(),
      }),
    )
    .describe('a problem per field at fault of each event left out; [] when every event was valid'),
});
