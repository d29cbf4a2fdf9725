/**
 * Server side of the anonymous session: read the `X-Anon-Session-Id` header the browser client
 * adds. Platform-neutral (no Node imports), for Node servers and edge functions alike.
 */
export {
  ANON_SESSION_HEADER,
  type AnonSessionSource,
  type HeadersRecordSource,
  readAnonSessionId,
} from './read-anon-session-id.js';
