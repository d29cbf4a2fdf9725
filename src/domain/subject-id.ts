import { isReservedId, isUuid } from './ids.js';

/** Why a subject id was refused: a placeholder (`guest`, `null`, all-zero UUID, blank…) or not a UUID. */
export type SubjectIdErrorCode = 'RESERVED_ID' | 'INVALID_ID';

/** A refused subject id, naming the offending field (`anon_session_id`, `user_id`). */
export class SubjectIdError extends Error {
  constructor(
    readonly code: SubjectIdErrorCode,
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'SubjectIdError';
  }
}

/**
 * Checks a user id or anonymous session id before linking or deleting by it, and returns it
 * lower-cased. Placeholders are refused first (`RESERVED_ID`): linking `guest` or the all-zero
 * UUID would merge strangers, and deleting by it would delete them.
 *
 * @example
 * const anon = checkSubjectId(body.anon_session_id, 'anon_session_id'); // throws SubjectIdError
 */
export function checkSubjectId(value: unknown, field: string): string {
  if (typeof value === 'string' && isReservedId(value))
    throw new SubjectIdError('RESERVED_ID', field, `${field} is a reserved placeholder id, not a subject`);
  if (value === null || value === undefined)
    throw new SubjectIdError('RESERVED_ID', field, `${field} is missing`);
  if (!isUuid(value)) throw new SubjectIdError('INVALID_ID', field, `${field} must be a UUID`);
  return value.toLowerCase();
}
