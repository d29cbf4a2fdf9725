/**
 * API keys with scopes (`ingest`, `site`, `admin`): create (shown once, only the hash is stored),
 * list, revoke, verify, and the Hono middleware that guards routes by scope.
 */
export type { ApiKeyRecord } from './api-key-record.js';
export { type CreateApiKeyOptions, type CreatedApiKey, createApiKey } from './create-api-key.js';
export { clearApiKeyCache, KEY_CACHE_TTL_MS } from './key-cache.js';
export { KeyError, type KeyErrorCode } from './key-error.js';
export { KEY_REVOKED_CHANNEL, type RevocationLog, watchKeyRevocations } from './key-revocations.js';
export { listApiKeys } from './list-api-keys.js';
export { type AuthEnv, type RequireScopeDeps, requireScope } from './middleware.js';
export { normaliseOrigin } from './origins.js';
export { type RevokedApiKey, revokeApiKey } from './revoke-api-key.js';
export { isScope, SCOPES, type Scope } from './scope.js';
export { verifyApiKey } from './verify-api-key.js';
