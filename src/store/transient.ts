const TRANSIENT_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
const TRANSIENT_SQLSTATE = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '53200',
  '40001',
  '40P01',
  '55P03',
  '57014',
]);
const TRANSIENT_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|connection error|Connection ended|ECONNREFUSED|server closed the connection|the database system is (starting up|shutting down)|Client was closed/i;

/**
 * Whether a database error may pass on retry: refused or reset connections, a restarting server,
 * timeouts, deadlocks and serialisation failures. Everything else means the data was refused.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; errors?: unknown[] } | undefined;
  if (!e) return false;
  const code = typeof e.code === 'string' ? e.code : '';
  if (TRANSIENT_ERRNO.has(code) || TRANSIENT_SQLSTATE.has(code) || code.startsWith('08')) return true;
  if (Array.isArray(e.errors) && e.errors.some(isTransientDatabaseError)) return true; // AggregateError
  return typeof e.message === 'string' && TRANSIENT_MESSAGE.test(e.message);
}
