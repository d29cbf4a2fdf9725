import type { Duplex } from 'node:stream';
import type { Logger } from '../logging/index.js';
import { ProblemError, problemBody, TITLES } from '../web/index.js';

/** What Node found wrong before a request reached the app, by error code. */
const REFUSALS: Record<string, () => ProblemError> = {
  HPE_HEADER_OVERFLOW: () =>
    new ProblemError(
      431,
      'HEADERS_TOO_LARGE',
      'the request line and headers are larger than the server accepts',
    ),
  ERR_HTTP_REQUEST_TIMEOUT: () =>
    new ProblemError(
      408,
      'REQUEST_TIMEOUT',
      'the request did not arrive whole in time (see headersTimeoutMs and requestTimeoutMs)',
    ),
  HPE_CHUNK_EXTENSIONS_OVERFLOW: () =>
    new ProblemError(413, 'BODY_TOO_LARGE', 'the chunk extensions are larger than the server accepts'),
};

const malformed = () => new ProblemError(400, 'MALFORMED_REQUEST', 'the request is not valid HTTP/1.1');

/**
 * The `clientError` listener of the HTTP server: the answers Node would give on its own (431
 * for huge headers, 408 on a timeout, 400 for malformed HTTP) become problem+json with a stable
 * code, sent with `Connection: close`, and the socket is closed once they are written. A socket
 * already gone, or whose response has begun, is only destroyed.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex, logger: Logger): void {
  const response = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || response?.headersSent) {
    socket.destroy();
    return;
  }
  const problem = (REFUSALS[error.code ?? ''] ?? malformed)();
  logger.debug({ code: problem.code, cause: error.code }, 'client error answered');
  const body = JSON.stringify(problemBody(problem));
  socket.end(
    [
      `HTTP/1.1 ${problem.status} ${TITLES[problem.status] ?? 'Error'}`,
      'Content-Type: application/problem+json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
      '',
      body,
    ].join('\r\n'),
    () => socket.destroy(),
  );
}
