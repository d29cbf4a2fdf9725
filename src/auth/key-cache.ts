import type { ApiKeyRecord } from './api-key-record.js';

/** How long a verified key is trusted without asking the database again. */
export const KEY_CACHE_TTL_MS = 30_000;
/**
 * How long a key the database does not hold (unknown or revoked) is refused without asking
 * again. A miss cannot turn into a hit by waiting: keys are 32 random bytes, so a key created
 * later was never presented before. The TTL only bounds how long the memory is held.
 */
export const KEY_MISS_TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;
const MAX_MISSES = 10_000;

interface Entry {
  record: ApiKeyRecord;
  expiresAt: number;
}

/**
 * The in-process cache of verified, unrevoked keys: `<schema>:<hash>` → record for 30 s, so
 * ingest does not query the database per request; and of misses for 10 s, so a client repeating
 * an unknown or revoked key does not cost a query per request either. A revoke in this process
 * evicts the key at once; a revoke in another process reaches it by PostgreSQL `NOTIFY`
 * (`key-revocations.ts`), and takes effect within the TTL at worst. Both maps
 * are bounded: the oldest entry goes first.
 */
class KeyCache {
  readonly #entries = new Map<string, Entry>();
  readonly #misses = new Map<string, number>();
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

  /** Whether `slot` was looked up and not found within the last {@link KEY_MISS_TTL_MS}. */
  isMiss(slot: string, now: number): boolean {
    const expiresAt = this.#misses.get(slot);
    if (expiresAt === undefined) return false;
    if (expiresAt > now) return true;
    this.#misses.delete(slot);
    return false;
  }

  setMiss(slot: string, now: number): void {
    this.#misses.delete(slot);
    if (this.#misses.size >= MAX_MISSES) {
      const oldest = this.#misses.keys().next().value;
      if (oldest !== undefined) this.#misses.delete(oldest);
    }
    this.#misses.set(slot, now + KEY_MISS_TTL_MS);
  }

  evictId(id: string): void {
    this.#generation++;
    for (const [slot, entry] of this.#entries) if (entry.record.id === id) this.#entries.delete(slot);
  }

  clear(): void {
    this.#generation++;
    this.#entries.clear();
    this.#misses.clear();
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
