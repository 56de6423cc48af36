export { groupCommerceService, createGroupCommerceService, type GroupCommerceServiceOptions } from './service.ts';
export {
  seedDemoDeals,
  demoDealRequests,
  pickDemoDealVariants,
  DEMO_DEAL_COUNT,
  DEMO_DEAL_MIN_STOCK,
  type DemoVariant,
  type DemoDealOptions,
} from './demo/demo-deals.ts';
export type { GroupSettings } from './config.ts';
