import type { Kysely } from 'kysely';
import { newId } from '../domain/index.js';
import type { TripmeterTables } from '../storage/index.js';
import type { AlertMessage } from './alert-message.js';
import type { DeliveryAttempt } from './deliver.js';

/** Stores one delivery try in `alert_deliveries`. */
export async function recordDelivery(
  db: Kysely<TripmeterTables>,
  schema: string,
  message: AlertMessage,
  attempt: DeliveryAttempt,
): Promise<void> {
  await db
    .withSchema(schema)
    .insertInto('alert_deliveries')
    .values({
      id: newId(),
      incident_id: message.incidentId,
      notifier: attempt.notifier,
      kind: message.kind,
      attempt: attempt.attempt,
      status: attempt.status,
      response_code: attempt.responseCode,
      error: attempt.error,
      at: attempt.at,
    })
    .execute();
}
