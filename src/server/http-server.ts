import type { Server, ServerOptions } from 'node:http';
import { type Config, ConfigError } from '../config/index.js';
import type { Logger } from '../logging/index.js';
import { answerClientError } from './client-error.js';

/** The settings that shape the HTTP server. */
export type HttpServerSettings = Pick<
  Config,
  'headersTimeoutMs' | 'requestTimeoutMs' | 'keepAliveTimeoutMs' | 'maxConnections'
>;

/**
 * Options of `http.createServer` for a telemetry endpoint, whose requests are small and quick:
 * headers within `headersTimeoutMs` (a new, silent connection too), the whole request within
 * `requestTimeoutMs`, idle keep-alive connections closed after `keepAliveTimeoutMs`. Node checks
 * the deadlines every `connectionsCheckingInterval`, so it is a tenth of the headers timeout (at
 * most 1 s): Node's 30 s default let a 60 s deadline stretch to 90 s. Throws a `ConfigError` when
 * the headers may take longer than the whole request.
 */
export function httpServerOptions(settings: HttpServerSettings): ServerOptions {
  if (settings.headersTimeoutMs > settings.requestTimeoutMs)
    throw new ConfigError(
      `invalid headersTimeoutMs (${settings.headersTimeoutMs}): it must not exceed requestTimeoutMs (${settings.requestTimeoutMs})`,
    );
  return {
    headersTimeout: settings.headersTimeoutMs,
    requestTimeout: settings.requestTimeoutMs,
    keepAliveTimeout: settings.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.min(1_000, Math.max(25, Math.floor(settings.headersTimeoutMs / 10))),
  };
}

/**
 * Caps the server's connections at `maxConnections` (Node closes the ones beyond at once) and
 * answers what Node refuses before the app sees a request as problem+json (see
 * `answerClientError`).
 */
export function guardHttpServer(server: Server, settings: HttpServerSettings, logger: Logger): void {
  server.maxConnections = settings.maxConnections;
  server.keepAliveTimeout = settings.keepAliveTimeoutMs;
  server.on('clientError', (error: Error & { code?: string }, socket) =>
    answerClientError(error, socket, logger),
  );
}
