/**
 * Keeps a process's storefront cache in step with catalog changes made by any
 * process. Every catalog change records catalog events in the catalog's
 * outbox in the same transaction, so the outbox's newest position is a
 * watermark of "the catalog changed": each process reads it on a short
 * interval (one index lookup) and empties its cache when it moved. Writes in
 * this process also empty the cache at once; this covers the other replicas,
 * whichever transport carries the events on.
 */
import type { Knex } from 'knex';
import type { StorefrontCache } from './storefront-cache.ts';

export interface ChangeWatchOptions {
  knex: Knex;
  cache: StorefrontCache;
  intervalMs: number;
  onError?: (error: unknown) => void;
}

export class CatalogChangeWatch {
  private timer: NodeJS.Timeout | undefined;
  private watermark: string | null | undefined;
  private checking = false;

  constructor(private readonly options: ChangeWatchOptions) {}

  /** Reads the watermark once; a change since the last reading empties the cache. */
  async check(): Promise<boolean> {
    const row = (await this.options.knex('catalog.outbox').max('position as position').first()) as { position: string | number | null } | undefined;
    const current = row?.position === null || row?.position === undefined ? null : String(row.position);
    const changed = this.watermark !== undefined && current !== this.watermark;
    this.watermark = current;
    if (changed) this.options.cache.invalidateAll();
    return changed;
  }

  start(): void {
    if (this.timer || this.options.intervalMs <= 0) return;
    this.timer = setInterval(() => {
      if (this.checking) return;
      this.checking = true;
      this.check()
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => {
          this.checking = false;
        });
    }, this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
