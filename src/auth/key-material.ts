import { createHash, randomBytes } from 'node:crypto';
import type { Scope } from './scope.js';

/** How many leading characters of a key are stored and shown (`tm_ingest_ab`). */
export const KEY_PREFIX_LENGTH = 12;

/** The shape of a key: `tm_<scope>_` and 32 random bytes in base64url (43 characters). */
const KEY_PATTERN = /^tm_(?:ingest|site|admin)_[A-Za-z0-9_-]{43}$/;

/** A new key of `scope`: `tm_<scope>_` + 32 random bytes, base64url. */
export function generateKey(scope: Scope): string {
  return `tm_${scope}_${randomBytes(32).toString('base64url')}`;
}

/** The hex SHA-256 of a key: what the database stores and is searched by. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The displayable prefix of a key. */
export function keyPrefix(key: string): string {
  return key.slice(0, KEY_PREFIX_LENGTH);
}

/** Whether a presented string has the shape of a key (a cheap refusal before any lookup). */
export function looksLikeKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}
