import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { newId, type ProviderCallRecord, type TelemetryRecord } from '../../src/domain/index.js';
import { GroupCommitWriter } from '../../src/ingest/index.js';
import { PostgresSink } from '../../src/store/index.js';
import { describeOnDatabases } from '../support/databases.js';

/** The contract other writers build on: any mix of records goes through the one write path. */
describeOnDatabases('write contract: TelemetryRecord through the group commit', ({ open }) => {
  it('stores a provider call and a phase submitted before their attempt, once', async () => {
    const database = await open({ now: new Date('2026-03-10T12:00:00Z') });
    const writer = new GroupCommitWriter({ sink: new PostgresSink(database) });
    const at = new Date('2026-03-10T12:00:00Z');
    const call: ProviderCallRecord = {
      kind: 'provider_call',
      id: newId(),
      requestId: 'contract-1',
      callIndex: 0,
      occurredAt: at,
      provider: 'nobody',
      model: 'no-price-model',
      status: 'success',
      inputTokens: 10,
      outputTokens: 5,
      source: 'app',
    };
    const records: TelemetryRecord[] = [
      call,
      {
        kind: 'attempt_phase',
        id: newId(),
        requestId: 'contract-1',
        phase: 'parse',
        startedAt: at,
        durationMs: 12,
        source: 'app',
      },
    ];
    expect(await writer.submit(records)).toEqual({ accepted: 2, duplicates: 0 });
    expect(await writer.submit([{ ...call, id: newId() }])).toEqual({ accepted: 0, duplicates: 1 });
    const rows = await database.db.executeQuery(
      sql<{ call_index: number; cost_usd: string | null }>`
        SELECT call_index, cost_usd FROM ${sql.table(`${database.schema}.trip_creation_provider_calls`)}`.compile(
        database.db,
      ),
    );
    expect(rows.rows).toEqual([{ call_index: 0, cost_usd: null }]);
    await writer.close();
  });
});
