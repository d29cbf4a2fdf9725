/** Lower-case header name carrying the browser's anonymous session id (`X-Anon-Session-Id`). */
export const ANON_SESSION_HEADER = 'x-anon-session-id';

/** A UUID of versions 1–8 with the RFC 9562 variant; the client sends v4, newer clients may not. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Node's `IncomingMessage` (or any object) with a plain headers record. */
export interface HeadersRecordSource {
  headers: Record<string, string | string[] | undefined>;
}

/** A Fetch-API `Request` (edge runtimes, Hono's `c.req.raw`) or a Node-style request. */
export type AnonSessionSource = Request | { headers: Headers } | HeadersRecordSource;

function rawHeader(source: AnonSessionSource): string | undefined {
  const headers = source.headers;
  if (typeof (headers as Headers).get === 'function')
    return (headers as Headers).get(ANON_SESSION_HEADER) ?? undefined;
  const record = headers as HeadersRecordSource['headers'];
  let value = record[ANON_SESSION_HEADER];
  if (value === undefined) {
    const key = Object.keys(record).find((name) => name.toLowerCase() === ANON_SESSION_HEADER);
    value = key === undefined ? undefined : record[key];
  }
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The anonymous session id sent by `tripmeter/client` in `X-Anon-Session-Id`, validated and
 * lower-cased, or `undefined` when the header is absent, repeated with different values, or not
 * a UUID. Platform-neutral: takes a Fetch `Request` or a Node `IncomingMessage`-like object.
 *
 * @example
 * // Node (http / Express)
 * const anonSessionId = readAnonSessionId(req);
 * // Edge (Deno, Netlify, Workers)
 * export default (request: Request) => tracker.start({ anonSessionId: readAnonSessionId(request) });
 */
export function readAnonSessionId(source: AnonSessionSource): string | undefined {
  const value = rawHeader(source)?.trim().toLowerCase();
  return value !== undefined && UUID.test(value) ? value : undefined;
}
