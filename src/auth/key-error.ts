/** The stable codes of {@link KeyError}. */
export type KeyErrorCode =
  | 'INVALID_SCOPE'
  | 'INVALID_NAME'
  | 'INVALID_ORIGIN'
  | 'ORIGIN_REQUIRED'
  | 'ORIGINS_NOT_ALLOWED'
  | 'KEY_NOT_FOUND'
  | 'AMBIGUOUS_PREFIX'
  | 'KEYS_TABLE_MISSING';

/**
 * A refused key operation (bad scope, bad origin, unknown key, …) with a stable `code`.
 * Its message never contains key material.
 *
 * @example
 * try { await createApiKey(database, { scope: 'site' }); }
 * catch (error) { if (error instanceof KeyError && error.code === 'ORIGIN_REQUIRED') … }
 */
export class KeyError extends Error {
  constructor(
    readonly code: KeyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'KeyError';
  }
}
