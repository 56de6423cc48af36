export { createOrdersService, ordersService } from './service.ts';
export { expireStaleOrders } from './use-cases/change-order.ts';
