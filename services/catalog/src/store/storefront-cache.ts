/**
 * The storefront's response cache: finished JSON bodies of published-catalog
 * reads, keyed by path and query. Any catalog change empties it — directly
 * after a write in this process, and from catalog events for writes made by
 * other processes — so a change is visible as soon as it is known. A
 * generation counter keeps a read that started before a change from storing
 * its (now stale) answer after it.
 */
export interface StorefrontCacheOptions {
  /** Most entries kept (least recently used go first); 0 turns the cache off. */
  maxEntries: number;
  /** Longest an entry is served, as a safety net behind event-driven invalidation. */
  maxAgeMs: number;
  now?: () => number;
}

interface Entry {
  body: string;
  storedAt: number;
}

export interface CacheStats {
  hits: number;
  misses: number;
  invalidations: number;
  size: number;
}

export class StorefrontCache {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;
  private readonly stats = { hits: 0, misses: 0, invalidations: 0 };
  private readonly now: () => number;

  constructor(private readonly options: StorefrontCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.options.maxEntries > 0;
  }

  /** The cached body for `key`, or the result of `load` (stored unless the catalog changed meanwhile). */
  async getOrLoad(key: string, load: () => Promise<string>): Promise<string> {
    if (!this.enabled) return load();
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.storedAt < this.options.maxAgeMs) {
      // Refresh recency: Map keeps insertion order, so re-inserting marks it as newest.
      this.entries.delete(key);
      this.entries.set(key, entry);
      this.stats.hits++;
      return entry.body;
    }
    this.stats.misses++;
    const generation = this.generation;
    const body = await load();
    if (generation === this.generation) {
      this.entries.delete(key);
      this.entries.set(key, { body, storedAt: this.now() });
      if (this.entries.size > this.options.maxEntries) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
    }
    return body;
  }

  /** Forgets everything: called on every catalog change. */
  invalidateAll(): void {
    this.generation++;
    this.stats.invalidations++;
    this.entries.clear();
  }

  snapshot(): CacheStats {
    return { ...this.stats, size: this.entries.size };
  }
}
