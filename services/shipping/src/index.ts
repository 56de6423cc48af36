export { shippingService, createShippingService, type ShippingServiceOptions } from './service.ts';
export { seedDemoShipping } from './demo/demo-shipping.ts';
export type { ShippingSettings } from './config.ts';
