import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/index.js';
import { loadConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/logging/index.js';
import { type Service, startService } from '../../src/server/service.js';
import { postAttempt } from '../support/ingest.js';
import {
  type PrivatePostgres,
  privatePostgresUnavailable,
  startPrivatePostgres,
} from '../support/private-postgres.js';

const REQUESTS = 800;
const CONCURRENCY = 8;
const RESTART_AFTER = 200;
/** Longer than the writer's 10 s deadline: the service must answer 503 and the client retry. */
const DOWN_MS = 11_000;

const unavailable = privatePostgresUnavailable();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

(unavailable ? describe.skip : describe)(
  `drill: PostgreSQL restarted during HTTP ingest${unavailable ? ` (SKIPPED: ${unavailable})` : ''}`,
  () => {
    let pg: PrivatePostgres | undefined;
    let service: Service | undefined;
    afterAll(async () => {
      await service?.close();
      pg?.destroy();
    });

    it('a retrying client loses nothing and duplicates nothing', async () => {
      pg = await startPrivatePostgres();
      const config = loadConfig({
        env: {
          DATABASE_URL: pg.url,
          TRIPMETER_PORT: '0',
          TRIPMETER_SCHEMA: 'drill',
          TRIPMETER_RATE_LIMIT_KEY_PER_SECOND: '0',
          TRIPMETER_RATE_LIMIT_ADDRESS_PER_SECOND: '0',
        },
      });
      service = await startService(config, { logger: silentLogger });
      const key = (await createApiKey(service.database, { scope: 'ingest' })).key;
      const admin = (await createApiKey(service.database, { scope: 'admin' })).key;

      const outcomes = { accepted: 0, retried503: 0, retriedNetwork: 0, other: [] as string[] };
      let next = 0;
      let restart: Promise<void> | undefined;
      const send = async (id: string) => {
        for (let attempt = 0; attempt < 200; attempt++) {
          try {
            const res = await postAttempt(service!.url, key, id);
            const body = await res.text();
            if (res.status === 202) return;
            if (res.status !== 503) {
              outcomes.other.push(`${res.status} ${body.slice(0, 200)}`);
              return;
            }
            outcomes.retried503++;
          } catch {
            outcomes.retriedNetwork++;
          }
          await sleep(100);
        }
        outcomes.other.push(`${id}: gave up`);
      };
      const worker = async () => {
        while (next < REQUESTS) {
          const id = `pgr-${next++}`;
          await send(id);
          outcomes.accepted++;
          if (outcomes.accepted === RESTART_AFTER)
            restart = (async () => {
              pg!.stop();
              await sleep(DOWN_MS);
              pg!.start();
            })();
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      await restart;
      expect(outcomes.other).toEqual([]);
      expect(restart).toBeDefined();

      const rows = await sql<{ request_id: string; event_type: string; n: string }>`
        SELECT request_id, event_type, count(*) AS n FROM drill.trip_creation_events
        WHERE request_id LIKE 'pgr-%' GROUP BY 1, 2`.execute(service.database.db);
      const duplicated = rows.rows.filter((r) => Number(r.n) !== 1);
      const stored = new Set(rows.rows.map((r) => `${r.request_id}/${r.event_type}`));
      const lost: string[] = [];
      for (let i = 0; i < REQUESTS; i++)
        for (const type of ['create_trip_attempted', 'create_trip_succeeded'])
          if (!stored.has(`pgr-${i}/${type}`)) lost.push(`pgr-${i}/${type}`);
      expect({ lost: lost.length, duplicated: duplicated.length }).toEqual({ lost: 0, duplicated: 0 });
      const attempts = await sql<{
        n: string;
      }>`SELECT count(*) AS n FROM drill.trip_creation_attempts WHERE request_id LIKE 'pgr-%' AND status = 'success'`.execute(
        service.database.db,
      );
      expect(Number(attempts.rows[0]!.n)).toBe(REQUESTS);
      // The outage was felt: the writer retried, and requests past its deadline were answered 503.
      const metrics = await (
        await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${admin}` } })
      ).text();
      const retries = Number(/^tripmeter_writer_retries_total (\d+)$/m.exec(metrics)?.[1]);
      expect(retries, metrics).toBeGreaterThan(0);
      expect(outcomes.retried503 + outcomes.retriedNetwork, JSON.stringify(outcomes)).toBeGreaterThan(0);
    });
  },
);
