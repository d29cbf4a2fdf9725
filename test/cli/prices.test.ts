import { writeFileSync } from 'node:fs';
import { sql } from 'kysely';
import { describe, expect, inject, it } from 'vitest';
import { newId } from '../../src/domain/index.js';
import { openDatabase } from '../../src/storage/index.js';
import { PostgresSink } from '../../src/store/index.js';
import { cli } from '../support/cli.js';
import { uniqueSchema } from '../support/databases.js';

const pgUrl = inject('pgUrl');

describe.skipIf(!pgUrl)('tripmeter prices (PostgreSQL)', () => {
  it('lists the shipped prices, sets and imports prices, and recomputes stored costs and totals', async () => {
    const schema = uniqueSchema();
    const db = ['--database-url', pgUrl!, '--schema', schema];
    const at = new Date(Date.now() - 3_600_000);
    const day = at.toISOString().slice(0, 10);
    expect((await cli(['migrate', ...db])).stdout).toMatch(/model prices: \d+ rows written/);
    const listed = await cli(['prices', 'list', ...db]);
    expect(listed.stdout).toMatch(/openai\s+gpt-5\.4\s+2025-08-07\s+1\.25\d*\s+10\.0+\s+0\.125/);

    const database = await openDatabase({ databaseUrl: pgUrl, dataDir: 'memory://', schema });
    try {
      await new PostgresSink(database).write([
        { id: newId(), type: 'create_trip_attempted', requestId: 'p-1', occurredAt: at, source: 'app' },
        {
          kind: 'provider_call',
          id: newId(),
          requestId: 'p-1',
          callIndex: 0,
          occurredAt: at,
          provider: 'openai',
          model: 'gpt-5.4',
          status: 'success',
          inputTokens: 1_000_000,
          outputTokens: 100_000,
          source: 'app',
        },
      ]);
      const cost = async () => {
        const { rows } = await sql<{ call: string; attempt: string; version: string }>`
          SELECT c.cost_usd::text AS call, a.cost_usd::text AS attempt, c.price_version AS version
          FROM ${sql.table(`${schema}.trip_creation_provider_calls`)} AS c
          JOIN ${sql.table(`${schema}.trip_creation_attempts`)} AS a USING (request_id)`.execute(database.db);
        return rows[0]!;
      };
      expect(await cost()).toEqual({
        call: '2.250000000000',
        attempt: '2.250000000000',
        version: 'openai/gpt-5.4@2025-08-07',
      });

      const set = await cli([
        'prices',
        'set',
        'openai',
        'gpt-5.4',
        '--input',
        '2',
        '--output',
        '20',
        '--from',
        day,
        ...db,
      ]);
      expect(set.code).toBe(0);
      expect(await cost()).toMatchObject({ call: '2.250000000000' }); // stored costs change on recompute only
      const recomputed = await cli(['prices', 'recompute', '--from', day, ...db]);
      expect(recomputed.stdout).toMatch(/^repriced 1 calls and 1 attempts since /);
      expect(await cost()).toEqual({
        call: '4.000000000000',
        attempt: '4.000000000000',
        version: `openai/gpt-5.4@${day}`,
      });

      const file = `/tmp/prices-${schema}.json`;
      writeFileSync(
        file,
        JSON.stringify([
          {
            provider: 'openai',
            model: 'gpt-5.4',
            validFrom: day,
            input: 1,
            output: 1,
            version: 'negotiated-2026',
          },
        ]),
      );
      expect((await cli(['prices', 'import', file, ...db])).stdout).toBe(
        `imported 1 price rows from ${file}`,
      );
      await cli(['prices', 'recompute', '--from', day, ...db]);
      expect(await cost()).toEqual({
        call: '1.100000000000',
        attempt: '1.100000000000',
        version: 'negotiated-2026',
      });
    } finally {
      await database.close();
    }
  });

  it('refuses a bad command line with exit 2, before touching the database', async () => {
    const db = ['--database-url', pgUrl!, '--schema', uniqueSchema()];
    for (const argv of [
      ['prices'],
      ['prices', 'set', 'openai'],
      ['prices', 'set', 'openai', 'm', '--input', '-1', '--output', '2'],
      ['prices', 'set', 'openai', 'm', '--input', '1'],
      ['prices', 'recompute'],
      ['prices', 'import', '/nonexistent.json'],
    ]) {
      expect((await cli([...argv, ...db])).code, argv.join(' ')).toBe(2);
    }
  });
});
