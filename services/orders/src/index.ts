export { createOrdersService, ordersService } from './service.ts';
export { expireStaleOrders } from './use-cases/change-order.ts';
export { DEFAULT_SETTINGS, OrderWatch, type OrdersDeps, type OrdersSettings } from './use-cases/deps.ts';
