import { z } from 'zod';
import { DEFAULT_EVENT_NAMES } from '../client/index.js';
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
        name: z.enum(DEFAULT_EVENT_NAMES),
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
