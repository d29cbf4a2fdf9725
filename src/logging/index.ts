import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Structured JSON logs (pino) to stderr. Never pass addresses, user-agents, note text or key
 * material to a logger: the `redact` paths below are a last line of defence, not the policy.
 */
export function createLogger(
  level: string,
  destination: pino.DestinationStream = pino.destination(2),
): Logger {
  return pino(
    {
      level,
      base: { service: 'tripmeter' },
      redact: {
        paths: [
          'ip',
          'userAgent',
          'headers',
          'authorization',
          'key',
          'notes',
          '*.ip',
          '*.userAgent',
          '*.authorization',
          '*.key',
          '*.notes',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** A logger that drops everything (library default when the host passes none). */
export const silentLogger: Logger = pino({ level: 'silent' });
