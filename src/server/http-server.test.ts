import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/index.js';
import { httpServerOptions } from './http-server.js';

describe('httpServerOptions', () => {
  it('takes the timeouts of a telemetry endpoint by default, checked often enough to hold them', () => {
    expect(httpServerOptions(loadConfig({ env: {} }))).toEqual({
      headersTimeout: 10_000,
      requestTimeout: 30_000,
      keepAliveTimeout: 5_000,
      connectionsCheckingInterval: 1_000,
    });
    const low = loadConfig({
      env: { TRIPMETER_HEADERS_TIMEOUT_MS: '500', TRIPMETER_REQUEST_TIMEOUT_MS: '800' },
    });
    expect(httpServerOptions(low)).toMatchObject({ headersTimeout: 500, connectionsCheckingInterval: 50 });
  });

  it('refuses headers allowed longer than the whole request, naming both settings', () => {
    const config = loadConfig({
      env: { TRIPMETER_HEADERS_TIMEOUT_MS: '20000', TRIPMETER_REQUEST_TIMEOUT_MS: '10000' },
    });
    expect(() => httpServerOptions(config)).toThrow(ConfigError);
    expect(() => httpServerOptions(config)).toThrow(/headersTimeoutMs \(20000\).*requestTimeoutMs \(10000\)/);
  });

  it('refuses timeouts outside 100 ms – 10 min and connection caps below 1', () => {
    expect(() => loadConfig({ env: { TRIPMETER_REQUEST_TIMEOUT_MS: '0' } })).toThrow(/requestTimeoutMs/);
    expect(() => loadConfig({ env: { TRIPMETER_MAX_CONNECTIONS: '0' } })).toThrow(/maxConnections/);
  });
});
