export { inventoryService, createInventoryService, type InventoryServiceOptions } from './service.ts';
export { seedDemoStock, demoQuantity, DEMO_STOCK_REASON, type DemoStockOptions } from './demo/demo-stock.ts';
export type { InventorySettings } from './config.ts';
