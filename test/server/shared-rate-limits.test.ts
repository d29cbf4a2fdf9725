import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import {
  openSharedRateLimits,
  RateLimits,
  type SharedRateLimits,
} from '../../src/server/rate-limit/index.js';
import { ProblemError } from '../../src/web/index.js';
import { redisUnavailable, TEST_REDIS_URL } from '../support/redis.js';

const unavailable = await redisUnavailable();
const logs: string[] = [];
const logger = { warn: (_: object, message: string) => void logs.push(message) };

function configWith(redisUrl: string) {
  return loadConfig({
    env: {
      TRIPMETER_REDIS_URL: redisUrl,
      TRIPMETER_RATE_LIMIT_KEY_PER_SECOND: '1',
      TRIPMETER_RATE_LIMIT_KEY_BURST: '5',
    },
  });
}

/** How many of `n` requests of one key, spread round-robin over `instances`, are let through. */
async function accepted(instances: RateLimits[], n: number, keyId: string): Promise<number> {
  let ok = 0;
  for (let i = 0; i < n; i++) {
    try {
      await instances[i % instances.length]!.limitKey(keyId);
      ok++;
    } catch (error) {
      expect(error).toBeInstanceOf(ProblemError);
      expect((error as ProblemError).status).toBe(429);
    }
  }
  return ok;
}

describe('rate limits without Redis', () => {
  it('are per instance: three instances let three bursts through', async () => {
    const config = configWith('redis://unused:6379');
    const instances = [1, 2, 3].map(() => new RateLimits(config));
    expect(await accepted(instances, 30, 'key-a')).toBe(15);
  });
});

describe.skipIf(unavailable)(
  `rate limits shared through Redis${unavailable ? ` (SKIPPED: ${unavailable})` : ''}`,
  () => {
    const opened: SharedRateLimits[] = [];
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((shared) => shared.close()));
    });
    const open = (url: string, namespace: string) => {
      const shared = openSharedRateLimits(configWith(url), logger, namespace);
      opened.push(shared);
      return shared;
    };

    it('hold across instances: three instances let one burst through', async () => {
      const namespace = `t_${randomBytes(5).toString('hex')}`;
      const instances = [1, 2, 3].map(() => open(TEST_REDIS_URL, namespace));
      // The client connects asynchronously: a request before that is decided in memory.
      for (let i = 0; i < 100 && !instances.every((s) => s.connected); i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(
        await accepted(
          instances.map((s) => s.limits),
          30,
          'key-a',
        ),
      ).toBe(5);
      expect(instances.map((s) => s.fallbacks)).toEqual([0, 0, 0]);
    });

    it('fall back to per-instance limits when Redis does not answer, counting it and never throwing', async () => {
      const instances = [1, 2].map(() => open('redis://127.0.0.1:1', 'unreachable'));
      expect(
        await accepted(
          instances.map((s) => s.limits),
          20,
          'key-b',
        ),
      ).toBe(10);
      expect(instances.reduce((sum, s) => sum + s.fallbacks, 0)).toBe(20);
      expect(logs.some((line) => /redis/.test(line))).toBe(true);
    });
  },
);
