import type { Context, Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { requireScope } from '../../auth/index.js';
import { StorageUnavailableError } from '../../ingest/index.js';
import {
  DEFAULT_DECODE_LIMITS,
  decodeTraceExport,
  encodeExportFailure,
  encodeExportResponse,
  exportRecords,
  mapSpans,
  OtlpDecodeError,
  type OtlpFormat,
  type OtlpStats,
  otlpFormatOf,
  partialSuccessOf,
  rootsWithoutCalls,
  selectRequestsWithCalls,
} from '../../otlp/index.js';
import { bodyOf, ProblemError, readBodyBytes } from '../../web/index.js';
import type { AppDeps } from '../deps.js';

const LIMITS = DEFAULT_DECODE_LIMITS;
/** Refusals answered as problem+json whatever the body: auth, and a media type OTLP cannot answer in. */
const PROBLEM_STATUSES = new Set([401, 403, 415]);

/**
 * OTLP/HTTP answers a refused export with a `google.rpc.Status` in the request's encoding: the
 * route's problems (400, 413, 429, 503, with their `Retry-After`) are re-encoded so. Auth (401,
 * 403) and 415 stay problem+json, as on every route.
 */
const otlpFailures = createMiddleware(async (c, next) => {
  await next();
  const format = otlpFormatOf(c.req.header('content-type'));
  const error = c.error;
  if (format === undefined || !(error instanceof ProblemError) || PROBLEM_STATUSES.has(error.status)) return;
  const { body, contentType } = encodeExportFailure(format, `${error.code}: ${error.detail}`);
  c.res = new Response(body as Uint8Array<ArrayBuffer>, {
    status: error.status,
    headers: { 'content-type': contentType, ...error.headers },
  });
});

const unavailable = (message: string, retryAfterSeconds: number) =>
  new ProblemError(503, 'STORAGE_UNAVAILABLE', `${message}; retry later: nothing was stored`, [], {
    'Retry-After': String(retryAfterSeconds),
  });

/**
 * `POST /v1/traces` (ingest key as `Authorization: Bearer`): an OTLP/HTTP trace export, protobuf or
 * JSON, gzip or not. Its GenAI spans become provider calls (and, with `otlpUnattachedSpans:
 * trace_as_attempt`, attempts), written in one submission; the answer is an
 * `ExportTraceServiceResponse` in the request's encoding, with `partial_success` when spans were
 * refused one by one. A body refused whole (400, 413) stores nothing. See docs/opentelemetry.md.
 */
export function tracesRoute(app: Hono, deps: AppDeps & { otlpStats: OtlpStats }): void {
  const stats = deps.otlpStats;
  app.post('/v1/traces', otlpFailures, requireScope('ingest', deps), async (c) => {
    const format = formatOf(c);
    const writer = deps.ingestWriter;
    if (writer === undefined) throw unavailable('ingest is not enabled', 5);
    const mapped = await decodeAndMap(c, deps, stats);
    const stored =
      deps.config.otlpUnattachedSpans === 'trace_as_attempt'
        ? await selectRequestsWithCalls(deps.database, rootsWithoutCalls(mapped))
        : undefined;
    const { calls, events } = exportRecords(mapped, stored);
    if (calls.length + events.length > 0) {
      try {
        await writer.submit([...events, ...calls]);
      } catch (error) {
        if (!(error instanceof StorageUnavailableError)) throw error;
        throw unavailable(error.message, error.retryAfterSeconds);
      }
    }
    stats.exports++;
    stats.stored += calls.length;
    const { body, contentType } = encodeExportResponse(format, partialSuccessOf(mapped.rejected));
    return c.body(body as Uint8Array<ArrayBuffer>, 200, { 'content-type': contentType });
  });
}

function formatOf(c: Context): OtlpFormat {
  const format = otlpFormatOf(c.req.header('content-type'));
  if (format === undefined)
    throw new ProblemError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'send the export as Content-Type: application/x-protobuf or application/json',
    );
  return format;
}

/** Reads, decodes and maps the body; a body refused whole is a problem (and counted). */
async function decodeAndMap(c: Context, deps: AppDeps, stats: OtlpStats) {
  try {
    const bytes = await readBodyBytes(
      bodyOf(c),
      LIMITS.maxBodyBytes,
      () => new OtlpDecodeError('BODY_TOO_LARGE', `the body is larger than ${LIMITS.maxBodyBytes} bytes`),
    );
    const exported = await decodeTraceExport(
      bytes,
      c.req.header('content-type'),
      c.req.header('content-encoding'),
      LIMITS,
    );
    const mapped = mapSpans(exported, { unattachedSpans: deps.config.otlpUnattachedSpans });
    stats.countMapped(exported.spans.length, mapped);
    return mapped;
  } catch (error) {
    if (!(error instanceof OtlpDecodeError)) throw error;
    stats.refusedExports++;
    throw new ProblemError(error.status, error.code, error.message);
  }
}
