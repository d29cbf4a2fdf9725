import type { Context } from 'hono';
import type { z } from 'zod';
import { SubjectIdError } from '../../domain/index.js';
import { bodyOf, ProblemError, readJsonBody } from '../../web/index.js';

/** Runs `fn`, turning a refused subject id into a 400 problem naming the field. */
export async function withSubjectProblems<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!(error instanceof SubjectIdError)) throw error;
    throw new ProblemError(400, error.code, error.message, [{ field: error.field, message: error.message }]);
  }
}

/** Largest body of a small JSON request such as `/v1/identify` (8 KB). */
export const MAX_SMALL_BODY_BYTES = 8 * 1024;

/**
 * Parses an `application/json` body of at most 8 KB with `schema`: another type is 415, a larger
 * body 413, malformed or too deep JSON, a bad field or an unknown one 400 (`INVALID_BODY`, each
 * field named).
 */
export async function parseJsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.output<T>> {
  const body = await readJsonBody(bodyOf(c), { maxBytes: MAX_SMALL_BODY_BYTES, types: ['application/json'] });
  return checkBody(schema, body);
}

/** Checks a parsed body with `schema`; a bad field or an unknown one is 400 `INVALID_BODY`, each field named. */
export function checkBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: [...issue.path, key].join('.'), message: 'is not a known field' }))
      : [{ field: issue.path.join('.') || '(body)', message: issue.message }],
  );
  throw new ProblemError(400, 'INVALID_BODY', `${errors.length} field(s) refused`, errors);
}
