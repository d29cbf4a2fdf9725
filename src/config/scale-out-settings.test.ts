import { describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';

describe('settings for several instances', () => {
  it('reads redisUrl from the flag or TRIPMETER_REDIS_URL, and refuses other schemes', () => {
    expect(loadConfig({ env: {} }).redisUrl).toBeUndefined();
    expect(loadConfig({ env: { TRIPMETER_REDIS_URL: 'redis://cache:6379' } }).redisUrl).toBe(
      'redis://cache:6379',
    );
    expect(loadConfig({ flags: { 'redis-url': 'rediss://cache:6380' } }).redisUrl).toBe(
      'rediss://cache:6380',
    );
    expect(() => loadConfig({ env: { TRIPMETER_REDIS_URL: 'http://cache' } })).toThrow(
      /redisUrl.*redis:\/\//,
    );
  });

  it('reads job periods as JSON, by known job name, at least a second', () => {
    expect(loadConfig({ env: {} }).jobIntervalsMs).toEqual({});
    expect(loadConfig({ env: { TRIPMETER_JOB_INTERVALS_MS: '{"rollups":300000}' } }).jobIntervalsMs).toEqual({
      rollups: 300_000,
    });
    expect(() => loadConfig({ env: { TRIPMETER_JOB_INTERVALS_MS: '{"rollup":300000}' } })).toThrow(/rollup/);
    expect(() => loadConfig({ env: { TRIPMETER_JOB_INTERVALS_MS: '{"alerts":10}' } })).toThrow(
      /jobIntervalsMs/,
    );
  });
});
