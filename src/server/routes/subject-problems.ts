import type { Context } from 'hono';
import type { z } from 'zod';
import { SubjectIdError } from '../../domain/subject-id.js';
import { ProblemError } from '../problem.js';

/** Runs `fn`, turning a refused subject id into a 400 problem naming the field. */
export async function withSubjectProblems<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!(error instanceof SubjectIdError)) throw error;
    throw new ProblemError(400, error.code, error.message, [{ field: error.field, message: error.message }]);
  }
}

/** Parses a JSON body with `schema`; a malformed body or a bad field is a 400 problem. */
export async function parseJsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.output<T>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new ProblemError(400, 'MALFORMED_JSON', 'the body is not valid JSON');
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.map((issue) => ({
    field: issue.path.join('.') || '(body)',
    message: issue.message,
  }));
  throw new ProblemError(400, 'INVALID_BODY', `${errors.length} field(s) refused`, errors);
}
