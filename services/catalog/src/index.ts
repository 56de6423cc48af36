export { catalogService } from './service.ts';
export { seedDemoCatalog, type DemoCatalogOptions } from './demo/demo-catalog.ts';
