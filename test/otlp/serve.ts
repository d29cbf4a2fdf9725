import { createApiKey } from '../../src/auth/index.js';
import { loadConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/logging/index.js';
import { type Service, startService } from '../../src/server/service.js';
import type { Database } from '../../src/storage/index.js';

/**
 * A running `serve` on 127.0.0.1 (a free port) over `database`, and an ingest key for it: what a
 * real exporter is pointed at by OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_EXPORTER_OTLP_HEADERS.
 */
export async function startServeWithKey(database: Database): Promise<{ service: Service; key: string }> {
  const config = loadConfig({
    env: { TRIPMETER_PORT: '0', TRIPMETER_HOST: '127.0.0.1', TRIPMETER_SCHEMA: database.schema },
  });
  const service = await startService(config, { logger: silentLogger, database });
  const { key } = await createApiKey(database, { scope: 'ingest' });
  return { service, key };
}

/** The provider calls `service` stored, oldest first (optionally of one request id only). */
export function storedCalls(service: Service, requestId?: string) {
  let query = service.database.db
    .withSchema(service.database.schema)
    .selectFrom('trip_creation_provider_calls')
    .selectAll()
    .orderBy('created_at');
  if (requestId !== undefined) query = query.where('request_id', '=', requestId);
  return query.execute();
}
