/**
 * The storefront's response cache: finished JSON bodies of published-catalog
 * reads, keyed by path and query, each kept with its compressed copies (made
 * once, the first time a shopper's browser asks for that encoding). Any
 * catalog change empties it — directly after a write in this process, and
 * from catalog events for writes made by other processes — so a change is
 * visible as soon as it is known. A generation counter keeps a read that
 * started before a change from storing its (now stale) answer after it.
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export interface StorefrontCacheOptions {
  /** Most entries kept (least recently used go first); 0 turns the cache off. */
  maxEntries: number;
  /** Longest an entry is served, as a safety net behind event-driven invalidation. */
  maxAgeMs: number;
  now?: () => number;
}

export type ContentEncoding = 'br' | 'gzip';

/** Bodies smaller than this go out as they are: compressing them saves less than it costs. */
const MIN_COMPRESSED_BYTES = 1024;

/** A JSON body, and (for one the cache keeps) its compressed copies, each made once. */
export class CachedBody {
  private readonly encoded = new Map<ContentEncoding, Buffer>();

  constructor(
    readonly text: string,
    /** Kept in the cache: compressing it pays off over many reads. A body read once is sent as it is. */
    private readonly kept: boolean,
  ) {}

  get compressible(): boolean {
    return this.kept && this.text.length >= MIN_COMPRESSED_BYTES;
  }

  encodedAs(encoding: ContentEncoding): Buffer {
    let body = this.encoded.get(encoding);
    if (!body) {
      body =
        encoding === 'br'
          ? brotliCompressSync(this.text, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(this.text) } })
          : gzipSync(this.text, { level: 6 });
      this.encoded.set(encoding, body);
    }
    return body;
  }
}

interface Entry {
  body: CachedBody;
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
  async getOrLoad(key: string, load: () => Promise<string>): Promise<CachedBody> {
    if (!this.enabled) return new CachedBody(await load(), false);
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
    const text = await load();
    if (generation !== this.generation) return new CachedBody(text, false);
    const body = new CachedBody(text, true);
    this.entries.delete(key);
    this.entries.set(key, { body, storedAt: this.now() });
    if (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
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
