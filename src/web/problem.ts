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

/** The reason phrase of each status the service answers. */
export const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The RFC 9457 document of a problem; `instance` is the request path when there is one. */
export function problemBody(problem: ProblemError, instance?: string): Record<string, unknown> {
  return {
    type: `https://tripmeter.dev/problems/${problem.code.toLowerCase().replaceAll('_', '-')}`,
    title: TITLES[problem.status] ?? 'Error',
    status: problem.status,
    code: problem.code,
    detail: problem.detail,
    ...(instance === undefined ? {} : { instance }),
    ...(problem.errors.length > 0 ? { errors: problem.errors } : {}),
  };
}

/** Renders a problem document response. */
export function problemResponse(c: Context, problem: ProblemError): Response {
  return c.body(JSON.stringify(problemBody(problem, c.req.path)), problem.status, {
    'content-type': 'application/problem+json',
    ...problem.headers,
  });
}
