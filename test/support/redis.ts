import { Redis } from 'ioredis';

/** The Redis the tests use (TRIPMETER_TEST_REDIS_URL, default the local one). */
export const TEST_REDIS_URL = process.env.TRIPMETER_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Why the Redis tests cannot run (undefined when Redis answers PING). Outside CI the caller
 * skips with this as a visible notice; under CI=true it throws, so a missing Redis fails the run.
 */
export async function redisUnavailable(): Promise<string | undefined> {
  const client = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  let reason: string | undefined;
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    reason = `Redis unreachable at ${TEST_REDIS_URL} (${(error as Error).message})`;
  } finally {
    client.disconnect();
  }
  if (reason && process.env.CI === 'true') throw new Error(`${reason}; CI=true requires it`);
  return reason;
}
