/** Catalog's own settings, validated once when the service is built. */
import { Type } from 'typebox';
import { loadConfig } from '@fusioncommerce/platform';

export interface CatalogSettings {
  /** Most storefront responses kept in memory per process (0: no cache). */
  cacheMaxEntries: number;
  /** Longest a cached response is served: the safety net behind change-driven invalidation. */
  cacheMaxAgeMs: number;
  /** How often each process checks for catalog changes made elsewhere (0: only this process's writes empty its cache). */
  cacheWatchMs: number;
}

export const DEFAULT_CATALOG_SETTINGS: CatalogSettings = { cacheMaxEntries: 10_000, cacheMaxAgeMs: 60_000, cacheWatchMs: 250 };

const CatalogConfigSchema = Type.Object({
  CATALOG_CACHE_MAX_ENTRIES: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  CATALOG_CACHE_MAX_AGE_MS: Type.Optional(Type.Integer({ minimum: 100, maximum: 86_400_000 })),
  CATALOG_CACHE_WATCH_MS: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000 })),
});

export function catalogSettingsFrom(env: Record<string, string | undefined>): CatalogSettings {
  const c = loadConfig(CatalogConfigSchema, env);
  return {
    cacheMaxEntries: c.CATALOG_CACHE_MAX_ENTRIES ?? DEFAULT_CATALOG_SETTINGS.cacheMaxEntries,
    cacheMaxAgeMs: c.CATALOG_CACHE_MAX_AGE_MS ?? DEFAULT_CATALOG_SETTINGS.cacheMaxAgeMs,
    cacheWatchMs: c.CATALOG_CACHE_WATCH_MS ?? DEFAULT_CATALOG_SETTINGS.cacheWatchMs,
  };
}
