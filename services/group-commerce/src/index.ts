export { groupCommerceService, createGroupCommerceService, type GroupCommerceServiceOptions } from './service.ts';
export { seedDemoDeals, type DemoVariant, type DemoDealOptions } from './demo/demo-deals.ts';
export { priceFor, authorizedUnitPrice, checkRules, type Tier } from './domain/tiers.ts';
export type { GroupSettings } from './config.ts';
