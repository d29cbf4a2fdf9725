import { createLogger } from '../../logging/index.js';
import { type Service, startService } from '../../server/index.js';
import { DataDirLockedError, recordRunningService } from '../../storage/index.js';
import type { Command } from '../command.js';
import { alreadyServing } from '../running-service.js';
import { DATABASE_SETTINGS } from './shared.js';

/** `tripmeter serve`: the HTTP service and its jobs, until SIGTERM/SIGINT. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the HTTP service (ingest, dashboard, jobs) until SIGTERM/SIGINT',
  usage:
    'tripmeter serve [--port 8787] [--host 127.0.0.1] [--database-url URL | --data-dir DIR] [--demo-if-empty]',
  flags: {
    'demo-if-empty': {
      type: 'boolean',
      help: 'load 30 days of demo traffic when the embedded database holds no attempt (npm start)',
    },
  },
  settings: [...DATABASE_SETTINGS, 'host', 'port', 'redisUrl'],
  async run({ config, flags, out }) {
    const logger = createLogger(config.logLevel);
    let service: Service;
    try {
      service = await startService(config, { logger, demoIfEmpty: flags['demo-if-empty'] === true });
    } catch (error) {
      // A second `npm start`: the service asked for is up, in another process. Say where.
      const lines = error instanceof DataDirLockedError ? alreadyServing(error) : undefined;
      if (!lines) throw error;
      for (const line of lines) out(line);
      return 0;
    }
    const forget =
      service.database.kind === 'pglite' && config.dataDir !== 'memory://'
        ? recordRunningService(config.dataDir, service.url)
        : () => {};
    out(
      `tripmeter listening on ${service.url} (${service.database.kind}, schema ${service.database.schema})`,
    );
    if (service.demoAdminKey) {
      out(`demo data loaded; dashboard at ${service.url}/ — admin key, shown once: ${service.demoAdminKey}`);
    }
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        logger.info({ signal }, 'shutting down: draining');
        resolve();
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
    forget();
    await service.close();
    logger.info('stopped');
    logger.flush();
    return 0;
  },
};
