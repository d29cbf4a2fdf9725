import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('event catalog types', () => {
  it('catalog.test-d.ts type-checks: valid calls compile and every @ts-expect-error hits', () => {
    const result = spawnSync(
      process.execPath,
      ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'src/client/tsconfig.typetest.json'],
      { encoding: 'utf8' },
    );
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
