import type { Database } from '../storage/index.js';

/**
 * A per-process cache of answers per database, bounded to `maxEntries` per database: the
 * entry written longest ago goes first. Values carry their own validity (a generation, a time).
 */
export class DatabaseCache<V> {
  private readonly stores = new WeakMap<Database, Map<string, V>>();

  constructor(private readonly maxEntries: number) {}

  get(database: Database, key: string): V | undefined {
    return this.stores.get(database)?.get(key);
  }

  set(database: Database, key: string, value: V): void {
    let store = this.stores.get(database);
    if (!store) {
      store = new Map();
      this.stores.set(database, store);
    }
    store.delete(key);
    store.set(key, value);
    if (store.size > this.maxEntries) store.delete(store.keys().next().value as string);
  }
}
