/** The code of an error for logs (SQLSTATE, errno, HTTP status), never its data. */
export function errorCodeOf(error: unknown): string {
  const e = error as { code?: unknown; causeCode?: unknown; name?: unknown };
  if (typeof e?.causeCode === 'string') return e.causeCode;
  if (typeof e?.code === 'string') return e.code;
  return typeof e?.name === 'string' ? e.name : 'unknown';
}
