import type { z } from 'zod';
import { type FieldProblem, ProblemError, readQuery } from '../../web/index.js';

/** A 400 `INVALID_QUERY` problem naming every offending parameter. */
export function queryProblem(errors: FieldProblem[]): ProblemError {
  return new ProblemError(
    400,
    'INVALID_QUERY',
    `bad query parameter: ${errors.map((e) => e.field).join(', ')}`,
    errors,
  );
}

/**
 * Reads a route's query string with `readQuery` (no NUL, bad escapes or repeated names) and
 * parses it with `schema` (a strict object: another parameter is refused too); every refusal is
 * a 400 `INVALID_QUERY` problem naming the parameters.
 *
 * @example
 * const { state, limit } = parseQuery(c.req.url, alertsQuerySchema);
 */
export function parseQuery<T extends z.ZodType>(url: string, schema: T): z.output<T> {
  const parsed = schema.safeParse(readQuery(url));
  if (parsed.success) return parsed.data;
  throw queryProblem(
    parsed.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({ field: key.slice(0, 64), message: 'is not a parameter of this route' }))
        : [{ field: issue.path.join('.') || '(query)', message: issue.message }],
    ),
  );
}
