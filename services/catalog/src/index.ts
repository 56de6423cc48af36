export { catalogService, createCatalogService } from './service.ts';
export { catalogSettingsFrom, DEFAULT_CATALOG_SETTINGS, type CatalogSettings } from './config.ts';
export { seedDemoCatalog, type DemoCatalogOptions } from './demo/demo-catalog.ts';
