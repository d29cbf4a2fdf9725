import type { ApiKeyRecord } from './api-key-record.js';

/** How long a verified key is trusted without asking the database again. */
export const KEY_CACHE_TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  record: ApiKeyRecord;
  expiresAt: number;
}

/**
 * The in-process cache of verified, unrevoked keys: `<schema>:<hash>` → record for 30 s, so
 * ingest does not query the database per request. Misses are not cached (a new key works at
 * once); a revoke in this process evicts the key at once, a revoke in another process takes
 * effect within the TTL. Bounded: the oldest entry goes first.
 */
class KeyCache {
  readonly #entries = new Map<string, Entry>();
  #generation = 0;

  /** Bumped by every eviction: a lookup that began before a revoke must not cache its result. */
  get generation(): number {
    return this.#generation;
  }

  get(slot: string, now: number): ApiKeyRecord | undefined {
    const entry = this.#entries.get(slot);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      this.#entries.delete(slot);
      return undefined;
    }
    return entry.record;
  }

  set(slot: string, record: ApiKeyRecord, now: number, generation: number): void {
    if (generation !== this.#generation) return;
    this.#entries.delete(slot);
    if (this.#entries.size >= MAX_ENTRIES) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(slot, { record, expiresAt: now + KEY_CACHE_TTL_MS });
  }

  evictId(id: string): void {
    this.#generation++;
    for (const [slot, entry] of this.#entries) if (entry.record.id === id) this.#entries.delete(slot);
  }

  clear(): void {
    this.#generation++;
    this.#entries.clear();
  }
}

/** The one cache of this process. */
export const keyCache = new KeyCache();

/** The cache slot of a key hash in a schema. */
export function cacheSlot(schema: string, hash: string): string {
  return `${schema}:${hash}`;
}

/** Empties the verified-key cache of this process (tests, or after an out-of-band revoke). */
export function clearApiKeyCache(): void {
  keyCache.clear();
}
