import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** One offending field of a refused request. */
export interface FieldProblem {
  /** JSON path of the field, e.g. `events[3].request_id`. */
  field: string;
  message: string;
  /** Index of the bad event in a batch, when the body is a batch. */
  index?: number;
}

/**
 * A request refused with a stable `code`, rendered as RFC 9457 `application/problem+json`.
 * Request paths throw it; `app.onError` renders it. Never carries a stack trace.
 */
export class ProblemError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    readonly detail: string,
    readonly errors: FieldProblem[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Renders a problem document response. */
export function problemResponse(c: Context, problem: ProblemError): Response {
  const body = {
    type: `https://tripmeter.dev/problems/${problem.code.toLowerCase().replaceAll('_', '-')}`,
    title: TITLES[problem.status] ?? 'Error',
    status: problem.status,
    code: problem.code,
    detail: problem.detail,
    instance: c.req.path,
    ...(problem.errors.length > 0 ? { errors: problem.errors } : {}),
  };
  return c.body(JSON.stringify(body), problem.status, {
    'content-type': 'application/problem+json',
    ...problem.headers,
  });
}
