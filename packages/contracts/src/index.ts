export * from './events/registry.ts';
export * from './events/cloudevent.ts';
export * from './events/catalog.ts';
export * from './events/customers.ts';
export * from './events/payments.ts';
export * from './events/inventory.ts';
export * from './events/orders.ts';
