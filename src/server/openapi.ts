import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { Scope } from '../auth/index.js';
import { clientBatchAnswerSchema, clientBatchSchema } from '../client-events/index.js';
import {
  ingestEventSchema,
  ingestPhaseSchema,
  ingestProviderCallSchema,
  MAX_EVENTS_PER_REQUEST,
} from '../ingest/index.js';
import { alertsQuerySchema } from './routes/alerts.js';
import { attemptsQuerySchema } from './routes/attempts-params.js';
import { clientIdentifyAnswer, clientIdentifyBody } from './routes/client-identify.js';
import { GENERATION_ANSWERS } from './routes/generation-metrics-schemas.js';
import { identifyBody } from './routes/identify.js';
import { generationMetricsParamsSchema, metricsParamsSchema } from './routes/metrics-params.js';

/** An RFC 9457 problem document, as every error of the service is answered. */
const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  code: z.string(),
  detail: z.string(),
  instance: z.string(),
  errors: z.array(z.object({ field: z.string(), message: z.string(), index: z.int().optional() })).optional(),
});
const writeResult = z.object({ accepted: z.int(), duplicates: z.int() });
const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });

interface Operation {
  method: 'get' | 'post' | 'delete';
  /** OpenAPI path (`{param}`). */
  path: string;
  summary: string;
  /** The scope of the key the route needs; undefined: no key. */
  scope?: Scope | 'admin or metrics token';
  query?: z.ZodObject;
  params?: z.ZodObject;
  body?: { schema: z.ZodType; types: string[] };
  /** Status and schema of the success answer. */
  ok: [number, z.ZodType | 'text'];
  /** Problem statuses besides 401/403 (always there with a scope) and 429. */
  problems: number[];
}

const METRICS = ['summary', 'timeseries', 'failures', 'models', 'versions', 'funnel', 'retries'];
const subject = (name: string) => z.object({ [name]: z.string() });

/** Every operation of the service; `test/server/openapi.test.ts` checks it against `app.routes`. */
const OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/healthz',
    summary: 'Database kind and schema version',
    ok: [200, z.object({ status: z.string() })],
    problems: [],
  },
  {
    method: 'get',
    path: '/openapi.json',
    summary: 'This document',
    ok: [200, z.object({ openapi: z.string() })],
    problems: [],
  },
  {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics',
    scope: 'admin or metrics token',
    ok: [200, 'text'],
    problems: [],
  },
  {
    method: 'post',
    path: '/v1/events',
    summary:
      'Ingest one server event or a batch: attempt events, provider_call and attempt_phase (a prompt, messages, completion or response key is refused: FORBIDDEN_CONTENT_KEY)',
    scope: 'ingest',
    body: {
      schema: z.union([
        ingestEventSchema,
        ingestProviderCallSchema,
        ingestPhaseSchema,
        z.object({
          events: z
            .array(z.union([ingestEventSchema, ingestProviderCallSchema, ingestPhaseSchema]))
            .min(1)
            .max(MAX_EVENTS_PER_REQUEST),
        }),
      ]),
      types: ['application/json'],
    },
    ok: [202, writeResult],
    problems: [400, 413, 415, 422, 503],
  },
  {
    method: 'post',
    path: '/v1/traces',
    summary:
      'OTLP/HTTP trace export (OpenTelemetry): GenAI spans become provider calls. application/x-protobuf or application/json (OTLP JSON mapping), Content-Encoding gzip accepted; answered in the same encoding, refusals after auth as google.rpc.Status (see docs/opentelemetry.md)',
    scope: 'ingest',
    body: {
      schema: z.object({ resourceSpans: z.array(z.record(z.string(), z.unknown())) }),
      types: ['application/x-protobuf', 'application/json'],
    },
    ok: [
      200,
      z.object({
        partialSuccess: z.object({ rejectedSpans: z.string(), errorMessage: z.string() }).optional(),
      }),
    ],
    problems: [400, 413, 415, 503],
  },
  {
    method: 'post',
    path: '/v1/client-events',
    summary: "The browser mirror's batch (site key, from one of its origins)",
    scope: 'site',
    body: { schema: clientBatchSchema, types: ['text/plain', 'application/json'] },
    ok: [202, clientBatchAnswerSchema],
    problems: [400, 413, 415, 422],
  },
  {
    method: 'post',
    path: '/v1/identify',
    summary: 'Link an anonymous session to a user at login',
    scope: 'ingest',
    body: { schema: identifyBody, types: ['application/json'] },
    ok: [
      200,
      z.object({
        outcome: z.enum(['linked', 'already_linked']),
        rows_backfilled: z.record(z.string(), z.int()),
      }),
    ],
    problems: [400, 409, 413, 415],
  },
  {
    method: 'post',
    path: '/v1/client-identify',
    summary:
      "Link the browser's anonymous session to the user of a verified app access token (site key; 404 unless identifyJwksUrl or identifyJwtSecret is set)",
    scope: 'site',
    body: { schema: clientIdentifyBody, types: ['text/plain', 'application/json'] },
    ok: [200, clientIdentifyAnswer],
    problems: [400, 404, 409, 413, 415, 503],
  },
  ...METRICS.map(
    (name): Operation => ({
      method: 'get',
      path: `/v1/metrics/${name}`,
      summary: `Metrics: ${name}`,
      scope: 'admin',
      query: metricsParamsSchema,
      ok: [200, z.record(z.string(), z.unknown())],
      problems: [400],
    }),
  ),
  ...Object.entries(GENERATION_ANSWERS).map(
    ([name, answer]): Operation => ({
      method: 'get',
      path: `/v1/metrics/${name}`,
      summary: `Generation metrics: ${name} (see docs/generation-metrics.md)`,
      scope: 'admin',
      query: generationMetricsParamsSchema,
      ok: [200, answer],
      problems: [400],
    }),
  ),
  {
    method: 'get',
    path: '/v1/attempts',
    summary:
      'Recent attempts, newest first, with their totals (filters as the panels, plus trip_id, anon_session_id, user_id; keyset cursor)',
    scope: 'admin',
    query: attemptsQuerySchema,
    ok: [200, z.object({ attempts: z.array(z.unknown()), next_cursor: z.string().nullable() })],
    problems: [400],
  },
  {
    method: 'get',
    path: '/v1/attempts/{requestId}',
    summary: 'One attempt with its events, provider calls and phases (offsets from its start)',
    scope: 'admin',
    params: z.object({ requestId: z.string() }),
    ok: [
      200,
      z.object({
        attempt: z.record(z.string(), z.unknown()),
        events: z.array(z.unknown()),
        calls: z.array(z.unknown()),
        phases: z.array(z.unknown()),
      }),
    ],
    problems: [400, 404],
  },
  {
    method: 'get',
    path: '/v1/alerts',
    summary: 'Alert incidents, newest first',
    scope: 'admin',
    query: alertsQuerySchema,
    ok: [200, z.object({ incidents: z.array(z.unknown()) })],
    problems: [400],
  },
  {
    method: 'delete',
    path: '/v1/subjects/users/{userId}',
    summary: "Delete a user's raw rows",
    scope: 'admin',
    params: subject('userId'),
    ok: [200, z.record(z.string(), z.unknown())],
    problems: [400],
  },
  {
    method: 'delete',
    path: '/v1/subjects/anon/{anonSessionId}',
    summary: "Delete an anonymous session's raw rows",
    scope: 'admin',
    params: subject('anonSessionId'),
    ok: [200, z.record(z.string(), z.unknown())],
    problems: [400],
  },
];

function register(registry: OpenAPIRegistry, op: Operation): void {
  // 408 and 431 come from the HTTP server itself (timeouts, huge headers), on any route.
  const problems = [...new Set([...op.problems, ...(op.scope ? [401, 403] : []), 408, 429, 431, 500])];
  const responses: Record<string, { description: string; content?: Record<string, { schema: z.ZodType }> }> =
    {};
  const [status, schema] = op.ok;
  responses[String(status)] =
    schema === 'text'
      ? { description: 'OK', content: { 'text/plain': { schema: z.string() } } }
      : { description: 'OK', ...json(schema) };
  for (const code of problems.sort())
    responses[String(code)] = {
      description: 'Problem',
      content: { 'application/problem+json': { schema: problemSchema } },
    };
  registry.registerPath({
    method: op.method,
    path: op.path,
    summary: op.summary,
    ...(op.scope ? { security: [{ bearer: [] }], description: `Needs a key of scope ${op.scope}.` } : {}),
    request: {
      ...(op.query ? { query: op.query } : {}),
      ...(op.params ? { params: op.params } : {}),
      ...(op.body
        ? {
            body: {
              required: true,
              content: Object.fromEntries(op.body.types.map((t) => [t, { schema: op.body!.schema }])),
            },
          }
        : {}),
    },
    responses,
  });
}

let cached: object | undefined;

/**
 * The OpenAPI 3.1 document of the service, generated from the zod schemas the routes validate
 * with (built once). Served at `GET /openapi.json`.
 */
export function openApiDocument(): object {
  if (cached) return cached;
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key: `tm_<scope>_…` (scopes ingest, site, admin)',
  });
  for (const op of OPERATIONS) register(registry, op);
  cached = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'tripmeter',
      version: '0.1.0',
      description: 'Privacy-first telemetry for AI trip creation',
    },
  });
  return cached;
}
