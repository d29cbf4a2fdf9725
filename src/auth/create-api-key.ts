import { newId } from '../domain/index.js';
import type { Database } from '../storage/index.js';
import { KeyError } from './key-error.js';
import { generateKey, hashKey, keyPrefix } from './key-material.js';
import { onKeysTable } from './keys-table.js';
import { originsForScope } from './origins.js';
import { isScope, SCOPES, type Scope } from './scope.js';

/** What a new key is for. */
export interface CreateApiKeyOptions {
  scope: Scope;
  /** A label for people, e.g. `checkout web server` (1–100 characters). */
  name?: string | undefined;
  /** Site keys only, and required for them: allowed browser origins, `https://host[:port]`. */
  origins?: readonly string[] | undefined;
}

/** A created key. `key` exists only here: store it now, only its hash is kept. */
export interface CreatedApiKey {
  key: string;
  id: string;
  prefix: string;
}

const MAX_NAME_LENGTH = 100;

function checkName(name: string | undefined): string | null {
  if (name === undefined) return null;
  const trimmed = name.trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (trimmed.length === 0 || trimmed.length > MAX_NAME_LENGTH || /[\u0000-\u001f\u007f]/.test(trimmed))
    throw new KeyError('INVALID_NAME', `a key name is 1–${MAX_NAME_LENGTH} printable characters`);
  return trimmed;
}

/**
 * Creates a key of `scope` and stores only its SHA-256 hash and its 12-character prefix.
 * Throws {@link KeyError} for an unknown scope, a bad name, a site key without origins, a bad
 * origin, or origins on another scope.
 *
 * @example
 * const { key } = await createApiKey(database, { scope: 'site', origins: ['https://app.example.com'] });
 */
export async function createApiKey(database: Database, options: CreateApiKeyOptions): Promise<CreatedApiKey> {
  const { scope } = options;
  if (!isScope(scope))
    throw new KeyError(
      'INVALID_SCOPE',
      `unknown scope ${JSON.stringify(scope)}; one of ${SCOPES.join(', ')}`,
    );
  const name = checkName(options.name);
  const origins = originsForScope(scope, options.origins);
  const key = generateKey(scope);
  const id = newId();
  const prefix = keyPrefix(key);
  await onKeysTable(database, () =>
    database.db
      .withSchema(database.schema)
      .insertInto('api_keys')
      .values({ id, scope, name, key_prefix: prefix, key_hash: hashKey(key), origins })
      .execute(),
  );
  return { key, id, prefix };
}
